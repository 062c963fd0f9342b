import type { Order, Page, Sale } from '@market/contracts';
import { notFound, type AuthUser } from '@market/kit';
import { readOrderById, listOrders } from '../data/order-repository';
import { listSales } from '../data/sales-repository';
import type { OrdersContext } from './context';
import { toOrder, toPage, toSale } from './order-shapes';

/** The owner or an admin sees the order; anyone else is told it does not exist. */
export async function readOrder(ctx: OrdersContext, user: AuthUser, orderId: string): Promise<Order> {
  const order = await readOrderById(ctx.db, orderId);
  if (!order || (order.buyerId !== user.id && user.role !== 'admin')) throw notFound('order');
  return toOrder(order);
}

export async function listOrdersOf(
  ctx: OrdersContext,
  buyerId: string,
  page: number,
  pageSize: number,
): Promise<Page<Order>> {
  return toPage(await listOrders(ctx.db, buyerId, page, pageSize), toOrder, page, pageSize);
}

export async function listEveryOrder(ctx: OrdersContext, page: number, pageSize: number): Promise<Page<Order>> {
  return toPage(await listOrders(ctx.db, undefined, page, pageSize), toOrder, page, pageSize);
}

export async function listSalesOf(
  ctx: OrdersContext,
  sellerId: string,
  page: number,
  pageSize: number,
): Promise<Page<Sale>> {
  return toPage(await listSales(ctx.db, sellerId, page, pageSize), toSale, page, pageSize);
}
