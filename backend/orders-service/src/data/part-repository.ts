import { sql } from 'drizzle-orm';
import type { Tx } from './db';

export interface Shipment {
  orderId: string;
  sellerId: string;
  carrier: string;
  trackingNumber: string;
}

/**
 * The seller's part of a COMPLETED order → SHIPPED, or its carrier and tracking number corrected
 * while it is still SHIPPED; false when the order is not COMPLETED, holds no line of this seller,
 * or the part was delivered. Marking the order's own row (first_shipped_at) is what the cancel's
 * guard reads, and its row lock orders a ship and a cancel racing on the order: the later one
 * re-checks the row the earlier one committed, so they never both succeed.
 */
export async function markShipped(tx: Tx, shipment: Shipment): Promise<boolean> {
  const { rows } = await tx.execute<{ order_id: string }>(sql`
    WITH marked AS (
      UPDATE orders SET first_shipped_at = coalesce(first_shipped_at, now()), updated_at = now()
      WHERE id = ${shipment.orderId} AND status = 'COMPLETED'
        AND EXISTS (SELECT 1 FROM order_items AS i WHERE i.order_id = ${shipment.orderId} AND i.seller_id = ${shipment.sellerId})
      RETURNING id
    )
    INSERT INTO order_parts (order_id, seller_id, state, carrier, tracking_number, shipped_at)
    SELECT id, ${shipment.sellerId}, 'SHIPPED', ${shipment.carrier}, ${shipment.trackingNumber}, now() FROM marked
    ON CONFLICT (order_id, seller_id) DO UPDATE
      SET carrier = excluded.carrier, tracking_number = excluded.tracking_number
      WHERE order_parts.state = 'SHIPPED'
    RETURNING order_id`);
  // No row: the caller's transaction rolls back, taking the orders row's update with it.
  return rows.length > 0;
}

/**
 * A SHIPPED part → DELIVERED, when `userId` is the order's buyer or the part's seller (checked
 * here, in the statement); false otherwise. The order's update time moves with it, so its event
 * streams see the change.
 */
export async function markDelivered(tx: Tx, orderId: string, sellerId: string, userId: string): Promise<boolean> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    WITH delivered AS (
      UPDATE order_parts AS p SET state = 'DELIVERED', delivered_at = now()
      FROM orders AS o
      WHERE p.order_id = ${orderId} AND p.seller_id = ${sellerId} AND p.state = 'SHIPPED'
        AND o.id = p.order_id AND (o.buyer_id = ${userId} OR p.seller_id = ${userId})
      RETURNING p.order_id
    )
    UPDATE orders SET updated_at = now() WHERE id IN (SELECT order_id FROM delivered) RETURNING id`);
  return rows.length > 0;
}
