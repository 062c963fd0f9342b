import axios from 'axios';
import { api } from './http-client';
import type { Cart, SaveCartRequest } from './contracts';

export async function fetchCart(signal?: AbortSignal): Promise<Cart> {
  return (await api.get<Cart>('/cart', { signal })).data;
}

export async function saveCart(body: SaveCartRequest, signal?: AbortSignal): Promise<Cart> {
  return (await api.put<Cart>('/cart', body, { signal })).data;
}

/** Another device or tab saved the cart first (409 VERSION_CONFLICT). */
export function isCartConflict(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response?.status === 409;
}
