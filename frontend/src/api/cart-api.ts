import axios from 'axios';
import { api } from './http-client';
import type { Cart, SaveCartRequest } from './contracts';

export async function fetchCart(): Promise<Cart> {
  return (await api.get<Cart>('/cart')).data;
}

export async function saveCart(body: SaveCartRequest): Promise<Cart> {
  return (await api.put<Cart>('/cart', body)).data;
}

/** Another device or tab saved the cart first (409 VERSION_CONFLICT). */
export function isCartConflict(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response?.status === 409;
}
