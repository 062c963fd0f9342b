import {
  ADMIN_ORDERS_COUNT_CAP,
  SALES_EXPORT_MAX,
  SALES_TOTALS_MAX,
  type AdminOrdersQuery,
  type Order,
  type Page,
  type Sale,
  type SalesQuery,
  type SalesTotals,
  type SalesTotalsQuery,
} from '@market/contracts';
import { notFound, type AuthUser } from '@market/kit';
import { listOrdersForAdmin } from '../data/admin-orders-repository';
import { readOrderById, listOrders } from '../data/order-repository';
import { exportSales, listSales, sumSales, type DayRange } from '../data/sales-repository';
import type { OrdersContext } from './context';
import { salesCsv } from './sales-csv';
import { toAdminOrder, toOrder, toPage, toSale } from './order-shapes';

/** The owner or an admin sees the order; anyone else is told it does not exist. */
export async function readOrder(ctx: OrdersContext, user: AuthUser, orderId: string): Promise<Order> {
  const order = await readOrderById(ctx.db, orderId);
  if (!order || (order.buyerId !== user.id && user.role !== 'admin')) throw notFound('order');
  return user.role === 'admin' ? toAdminOrder(order) : toOrder(order);
}

export async function listOrdersOf(
  ctx: OrdersContext,
  buyerId: string,
  page: number,
  pageSize: number,
): Promise<Page<Order>> {
  return toPage(await listOrders(ctx.db, buyerId, page, pageSize), toOrder, page, pageSize);
}

/** Every buyer's orders for an admin, filtered, counted up to a cap past the page asked for. */
export async function listEveryOrder(ctx: OrdersContext, query: AdminOrdersQuery): Promise<Page<Order>> {
  const { page, pageSize } = query;
  const countUpTo = Math.max(ADMIN_ORDERS_COUNT_CAP, page * pageSize);
  const { rows, total, capped } = await listOrdersForAdmin(ctx.db, query, countUpTo);
  return {
    data: rows.map(toAdminOrder),
    pagination: { page, pageSize, total, totalPages: Math.ceil(total / pageSize), totalCapped: capped },
  };
}

export async function listSalesOf(
  ctx: OrdersContext,
  sellerId: string,
  query: SalesQuery,
  addressRetentionDays: number,
): Promise<Page<Sale>> {
  const { page, pageSize, ...range } = query;
  const rows = await listSales(ctx.db, sellerId, range, page, pageSize, addressRetentionDays);
  return toPage(rows, toSale, page, pageSize);
}

export async function totalSalesOf(
  ctx: OrdersContext,
  sellerId: string,
  query: SalesTotalsQuery,
): Promise<SalesTotals> {
  const { period, ...range } = query;
  const { periods, overall } = await sumSales(ctx.db, sellerId, range, period, SALES_TOTALS_MAX);
  return { data: periods, overall };
}

export async function salesCsvOf(ctx: OrdersContext, sellerId: string, range: DayRange): Promise<string> {
  return salesCsv(await exportSales(ctx.db, sellerId, range, SALES_EXPORT_MAX));
}
