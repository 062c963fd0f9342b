// The stock ledger against the orders: every unit products holds for an order (a reservation not given
// back) belongs to a line of a COMPLETED order, and every line of a COMPLETED order holds its units.
// Read from the two databases directly: nothing in the API spans both. PENDING orders are in flight
// (their answer may be on its way), and so are cancelled or timed-out orders
// whose give-back products has not confirmed yet: both are left out on both sides.
import pg from 'pg';

export interface ConsistencyReport {
  /** Units held for COMPLETED orders, summed. */
  completedUnits: number;
  /** Units products holds for orders, summed. */
  heldUnits: number;
  /** `order/product: held H, completed C` for every pair that differs. */
  mismatches: string[];
}

async function rowsOf<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

export async function checkStockConsistency({
  productsUrl,
  ordersUrl,
}: {
  productsUrl: string;
  ordersUrl: string;
}): Promise<ConsistencyReport> {
  const held = await rowsOf<{ order_id: string; product_id: string; quantity: number }>(
    productsUrl,
    'SELECT order_id, product_id, quantity FROM stock_reservations WHERE released_at IS NULL',
  );
  const lines = await rowsOf<{
    order_id: string;
    product_id: string;
    quantity: number;
    settled: boolean;
    status: string;
  }>(
    ordersUrl,
    `SELECT i.order_id, i.product_id, i.quantity, o.status,
            o.status <> 'PENDING' AND (o.cancelled_event_id IS NULL OR o.give_back_confirmed_at IS NOT NULL) AS settled
       FROM order_items i JOIN orders o ON o.id = i.order_id`,
  );
  const key = (row: { order_id: string; product_id: string }) => `${row.order_id}/${row.product_id}`;
  const inFlight = new Set(lines.filter((l) => !l.settled).map((l) => l.order_id));
  const completed = new Map(lines.filter((l) => l.status === 'COMPLETED').map((l) => [key(l), l.quantity]));
  const holding = new Map(held.filter((h) => !inFlight.has(h.order_id)).map((h) => [key(h), h.quantity]));
  const mismatches = [...new Set([...completed.keys(), ...holding.keys()])]
    .filter((k) => completed.get(k) !== holding.get(k))
    .sort()
    .map((k) => `${k}: held ${holding.get(k) ?? 0}, completed ${completed.get(k) ?? 0}`);
  const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
  return { completedUnits: sum(completed.values()), heldUnits: sum(holding.values()), mismatches };
}
