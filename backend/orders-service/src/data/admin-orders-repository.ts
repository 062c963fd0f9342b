import { and, count, desc, eq, exists, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { AdminOrdersQuery } from '@market/contracts';
import type { Tx } from './db';
import { itemsColumn, orderColumns } from './order-repository';
import { orderItems, orders } from './schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function conditionsOf(query: AdminOrdersQuery): SQL[] {
  const where: SQL[] = [];
  if (query.status) where.push(eq(orders.status, query.status));
  if (query.from) where.push(gte(orders.createdAt, sql`(${query.from}::date AT TIME ZONE 'UTC')`));
  if (query.to) where.push(lt(orders.createdAt, sql`((${query.to}::date + 1) AT TIME ZONE 'UTC')`));
  if (query.buyer) {
    where.push(
      UUID.test(query.buyer)
        ? eq(orders.buyerId, query.buyer)
        : sql`lower(${orders.buyerName}) = lower(${query.buyer})`,
    );
  }
  if (query.sellerId) {
    const sellerId = query.sellerId;
    where.push(
      exists(
        sql`(SELECT 1 FROM ${orderItems} WHERE ${orderItems.orderId} = ${orders.id} AND ${orderItems.sellerId} = ${sellerId})`,
      ),
    );
  }
  return where;
}

/**
 * A page of every buyer's orders, newest first, filtered; the matches are counted up to
 * `countUpTo` + 1 rows (as the catalog does), so a broad filter over millions of orders stays cheap.
 */
export async function listOrdersForAdmin(tx: Tx, query: AdminOrdersQuery, countUpTo: number) {
  const where = and(...conditionsOf(query));
  const matching = tx
    .select({ one: sql`1` })
    .from(orders)
    .where(where)
    .limit(countUpTo + 1)
    .as('matching');
  const [rows, [counted]] = await Promise.all([
    tx
      .select({ ...orderColumns, items: itemsColumn })
      .from(orders)
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    tx.select({ n: count() }).from(matching),
  ]);
  const n = counted?.n ?? 0;
  return n > countUpTo ? { rows, total: countUpTo, capped: true } : { rows, total: n, capped: false };
}
