import { sql } from 'drizzle-orm';
import type { OrderStatus, PartState, ShippingAddress } from '@market/contracts';
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

/**
 * The seller's lines of COMPLETED orders (a cancelled order gave its stock back) with their part's
 * fulfilment, newest first, each with its order's shipping address: the seller's own lines only, so a
 * seller never reads the address of an order holding none of its products.
 */
export async function listSales(tx: Tx, sellerId: string, page: number, pageSize: number) {
  const where = sql`i.seller_id = ${sellerId} AND o.status = 'COMPLETED'`;
  const [{ rows }, { rows: counted }] = await Promise.all([
    tx.execute<{
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
    }>(sql`
      SELECT i.order_id, i.product_id, i.product_name, i.quantity, i.unit_price, o.status, o.shipping_address, o.created_at,
        coalesce(p.state, 'CONFIRMED') AS part_state, p.carrier, p.tracking_number
      FROM order_items i JOIN orders o ON o.id = i.order_id
      LEFT JOIN order_parts p ON p.order_id = i.order_id AND p.seller_id = i.seller_id
      WHERE ${where}
      ORDER BY o.created_at DESC, i.order_id, i.line
      LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`),
    tx.execute<{ total: string }>(sql`
      SELECT count(*) AS total FROM order_items i JOIN orders o ON o.id = i.order_id WHERE ${where}`),
  ]);
  const sales: SaleRecord[] = rows.map((r) => ({
    orderId: r.order_id,
    productId: r.product_id,
    productName: r.product_name,
    quantity: r.quantity,
    unitPrice: r.unit_price,
    status: r.status,
    shippingAddress: r.shipping_address,
    partState: r.part_state,
    carrier: r.carrier,
    trackingNumber: r.tracking_number,
    createdAt: new Date(r.created_at),
  }));
  return { rows: sales, total: Number(counted[0]?.total ?? 0) };
}
