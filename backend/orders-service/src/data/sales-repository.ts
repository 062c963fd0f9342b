import { sql, type SQL } from 'drizzle-orm';
import type { OrderStatus, PartState, SalesPeriod, ShippingAddress } from '@market/contracts';
import type { Tx } from './db';

export interface SaleRecord {
  orderId: string;
  productId: string;
  productName: string | null;
  quantity: number;
  unitPrice: string;
  status: OrderStatus;
  partState: PartState;
  carrier: string | null;
  trackingNumber: string | null;
  /** The order's address: the seller ships these lines there. */
  shippingAddress: ShippingAddress | null;
  createdAt: Date;
}

/** UTC days, `YYYY-MM-DD`, both included. */
export interface DayRange {
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The seller's lines of COMPLETED orders (a cancelled order gave its stock back) placed within the range: the
 * seller's own lines only, so a seller never reads the address of an order holding none of its products.
 */
function salesOf(sellerId: string, range: DayRange): SQL {
  const where = [sql`i.seller_id = ${sellerId}`, sql`o.status = 'COMPLETED'`];
  if (range.from) where.push(sql`o.created_at >= (${range.from}::date AT TIME ZONE 'UTC')`);
  if (range.to) where.push(sql`o.created_at < ((${range.to}::date + 1) AT TIME ZONE 'UTC')`);
  return sql.join(where, sql` AND `);
}

type SaleRow = {
  order_id: string;
  product_id: string;
  product_name: string | null;
  quantity: number;
  unit_price: string;
  status: OrderStatus;
  part_state: PartState;
  carrier: string | null;
  tracking_number: string | null;
  shipping_address: ShippingAddress | null;
  created_at: string | Date;
};

const toRecord = (r: SaleRow): SaleRecord => ({
  orderId: r.order_id,
  productId: r.product_id,
  productName: r.product_name,
  quantity: r.quantity,
  unitPrice: r.unit_price,
  status: r.status,
  partState: r.part_state,
  carrier: r.carrier,
  trackingNumber: r.tracking_number,
  shippingAddress: r.shipping_address,
  createdAt: new Date(r.created_at),
});

/**
 * The buyer's address stays on a sale while the seller's part is on its way and for
 * `addressRetentionDays` after its delivery (returns, questions); then the seller reads none.
 */
async function selectSales(
  tx: Tx,
  where: SQL,
  limit: number,
  offset: number,
  addressRetentionDays: number,
): Promise<SaleRecord[]> {
  const { rows } = await tx.execute<SaleRow>(sql`
    SELECT i.order_id, i.product_id, i.product_name, i.quantity, i.unit_price, o.status, o.created_at,
      CASE WHEN p.delivered_at < now() - make_interval(days => ${addressRetentionDays}) THEN NULL
        ELSE o.shipping_address END AS shipping_address,
      coalesce(p.state, 'CONFIRMED') AS part_state, p.carrier, p.tracking_number
    FROM order_items i JOIN orders o ON o.id = i.order_id
    LEFT JOIN order_parts p ON p.order_id = i.order_id AND p.seller_id = i.seller_id
    WHERE ${where}
    ORDER BY o.created_at DESC, i.order_id, i.line
    LIMIT ${limit} OFFSET ${offset}`);
  return rows.map(toRecord);
}

/** Newest first, one page. */
export async function listSales(
  tx: Tx,
  sellerId: string,
  range: DayRange,
  page: number,
  pageSize: number,
  addressRetentionDays: number,
) {
  const where = salesOf(sellerId, range);
  const [rows, { rows: counted }] = await Promise.all([
    selectSales(tx, where, pageSize, (page - 1) * pageSize, addressRetentionDays),
    tx.execute<{ total: string }>(sql`
      SELECT count(*) AS total FROM order_items i JOIN orders o ON o.id = i.order_id WHERE ${where}`),
  ]);
  return { rows, total: Number(counted[0]?.total ?? 0) };
}

/** Newest first, at most `limit` lines: what a CSV export holds (no address: the file outlives any retention). */
export function exportSales(tx: Tx, sellerId: string, range: DayRange, limit: number): Promise<SaleRecord[]> {
  return selectSales(tx, salesOf(sellerId, range), limit, 0, 0);
}

export interface SalesTotalRecord {
  periodStart: string;
  orders: number;
  quantity: number;
  revenue: string;
}

/**
 * Orders, items and revenue per UTC day, ISO week (from Monday) or month, newest first, plus the
 * sums over the whole range. Revenue is summed as NUMERIC, so it stays exact.
 */
export async function sumSales(tx: Tx, sellerId: string, range: DayRange, period: SalesPeriod, limit: number) {
  const where = salesOf(sellerId, range);
  const bucket = sql`date_trunc(${period}, o.created_at AT TIME ZONE 'UTC')::date`;
  const sums = sql`count(DISTINCT o.id)::int AS orders, coalesce(sum(i.quantity), 0)::int AS quantity,
    coalesce(sum(i.quantity * i.unit_price), 0)::numeric(14, 2)::text AS revenue`;
  const [{ rows }, { rows: overall }] = await Promise.all([
    tx.execute<{ period_start: string; orders: number; quantity: number; revenue: string }>(sql`
      SELECT to_char(${bucket}, 'YYYY-MM-DD') AS period_start, ${sums}
      FROM order_items i JOIN orders o ON o.id = i.order_id
      WHERE ${where}
      GROUP BY 1 ORDER BY 1 DESC LIMIT ${limit}`),
    tx.execute<{ orders: number; quantity: number; revenue: string }>(sql`
      SELECT ${sums} FROM order_items i JOIN orders o ON o.id = i.order_id WHERE ${where}`),
  ]);
  const periods: SalesTotalRecord[] = rows.map((r) => ({
    periodStart: r.period_start,
    orders: r.orders,
    quantity: r.quantity,
    revenue: r.revenue,
  }));
  const [all] = overall;
  return { periods, overall: all ?? { orders: 0, quantity: 0, revenue: '0.00' } };
}
