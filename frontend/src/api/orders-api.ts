import { noteCatalogChange } from './catalog-freshness';
import { api } from './http-client';
import type {
  Order,
  OrderPart,
  Page,
  PlaceOrderRequest,
  Sale,
  SalesPeriod,
  SalesTotals,
  ShipPartRequest,
} from './contracts';

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

const partUrl = (orderId: string, sellerId: string, action: 'ship' | 'deliver') =>
  `/orders/${encodeURIComponent(orderId)}/parts/${encodeURIComponent(sellerId)}/${action}`;

/** The seller ships their part of an order (or corrects its carrier and tracking number). */
export async function shipPart(orderId: string, sellerId: string, body: ShipPartRequest): Promise<OrderPart> {
  return (await api.post<OrderPart>(partUrl(orderId, sellerId, 'ship'), body)).data;
}

/** The seller or the buyer marks a shipped part delivered. */
export async function deliverPart(orderId: string, sellerId: string): Promise<OrderPart> {
  return (await api.post<OrderPart>(partUrl(orderId, sellerId, 'deliver'))).data;
}

/** UTC days `YYYY-MM-DD`, both included; empty means open. */
export interface DayRange {
  from: string;
  to: string;
}

const rangeParams = ({ from, to }: DayRange) => ({ from: from || undefined, to: to || undefined });

export async function listMySales(
  query: DayRange & { page: number; pageSize: number },
  signal?: AbortSignal,
): Promise<Page<Sale>> {
  const params = { ...rangeParams(query), page: query.page, pageSize: query.pageSize };
  return (await api.get<Page<Sale>>('/orders/sales', { params, signal })).data;
}

export async function getSalesTotals(
  query: DayRange & { period: SalesPeriod },
  signal?: AbortSignal,
): Promise<SalesTotals> {
  const params = { ...rangeParams(query), period: query.period };
  return (await api.get<SalesTotals>('/orders/sales/totals', { params, signal })).data;
}

/** The address of the CSV file of the seller's sales in the range; the browser downloads it (Content-Disposition). */
export function salesExportUrl(range: DayRange): string {
  const params = new URLSearchParams(Object.entries(rangeParams(range)).filter(([, v]) => v) as [string, string][]);
  const search = params.toString();
  return `/api/orders/sales/export${search ? `?${search}` : ''}`;
}

/** Every order (admin); empty filters are left out. */
export async function listAllOrders(
  query: { page: number; pageSize: number } & Record<'status' | 'from' | 'to' | 'buyer' | 'sellerId', string>,
  signal?: AbortSignal,
): Promise<Page<Order>> {
  const params = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
  return (await api.get<Page<Order>>('/orders/all', { params, signal })).data;
}

export function orderEventsUrl(id: string): string {
  return `/api/orders/${encodeURIComponent(id)}/events`;
}
