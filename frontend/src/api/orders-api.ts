import { noteCatalogChange } from './catalog-freshness';
import { api } from './http-client';
import type { Order, Page, PlaceOrderRequest, Sale } from './contracts';

export async function placeOrder(body: PlaceOrderRequest, idempotencyKey: string): Promise<Order> {
  const response = await api.post<Order>('/orders', body, { headers: { 'Idempotency-Key': idempotencyKey } });
  // The sale takes stock the catalog shows: this buyer sees the figures after it, not a shared copy.
  noteCatalogChange();
  return response.data;
}

export async function listMyOrders(page: number, pageSize: number, signal?: AbortSignal): Promise<Page<Order>> {
  return (await api.get<Page<Order>>('/orders', { params: { page, pageSize }, signal })).data;
}

export async function getOrder(id: string, signal?: AbortSignal): Promise<Order> {
  return (await api.get<Order>(`/orders/${encodeURIComponent(id)}`, { signal })).data;
}

export async function cancelOrder(id: string): Promise<Order> {
  const cancelled = (await api.post<Order>(`/orders/${encodeURIComponent(id)}/cancel`)).data;
  noteCatalogChange(); // the stock comes back
  return cancelled;
}

export async function listMySales(page: number, pageSize: number, signal?: AbortSignal): Promise<Page<Sale>> {
  return (await api.get<Page<Sale>>('/orders/sales', { params: { page, pageSize }, signal })).data;
}

export async function listAllOrders(page: number, pageSize: number, signal?: AbortSignal): Promise<Page<Order>> {
  return (await api.get<Page<Order>>('/orders/all', { params: { page, pageSize }, signal })).data;
}

export function orderEventsUrl(id: string): string {
  return `/api/orders/${encodeURIComponent(id)}/events`;
}
