import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ORDER_STATUSES, type OrderStatus } from '@market/contracts';
import { createMigratedTestDatabase, eventually, type TestDatabase } from '@market/kit/testing';
import { createDb, MIGRATIONS_FOLDER, type Db } from '../src/data/db';
import { insertOrderIfNew, lockOverdue, markCancelled, markTimedOut, settleOrders } from '../src/data/order-repository';
import { canTransition, sourcesOf } from '../src/domain/order-status';

/** The transitions of the design: PENDING settles COMPLETED or FAILED; the buyer cancels PENDING or COMPLETED. */
const ALLOWED: [OrderStatus, OrderStatus][] = [
  ['PENDING', 'COMPLETED'],
  ['PENDING', 'FAILED'],
  ['PENDING', 'CANCELLED'],
  ['COMPLETED', 'CANCELLED'],
];

const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

describe('the order status table', () => {
  it.each(pairs)(
    'when asked whether %s may become %s, then only the transitions of the design answer yes',
    (from, to) => {
      const allowed = ALLOWED.some(([f, t]) => f === from && t === to);

      expect(canTransition(from, to)).toBe(allowed);
    },
  );

  it('when asked where each status is entered from, then it names exactly the allowed sources', () => {
    expect(Object.fromEntries(ORDER_STATUSES.map((to) => [to, sourcesOf(to)]))).toEqual({
      PENDING: [],
      COMPLETED: ['PENDING'],
      FAILED: ['PENDING'],
      CANCELLED: ['PENDING', 'COMPLETED'],
    });
  });

  it('when an order is FAILED or CANCELLED, then nothing moves it anywhere', () => {
    for (const final of ['FAILED', 'CANCELLED'] as const) {
      expect(ORDER_STATUSES.filter((to) => canTransition(final, to))).toEqual([]);
    }
  });
});

/**
 * Every statement that changes an order's status, against an order in each status: it changes the
 * order exactly when the table allows the transition, so no statement keeps a guard of its own.
 */
describe('the status-changing statements', () => {
  let database: TestDatabase;
  let pool: Pool;
  let db: Db;
  beforeAll(async () => {
    ({ database, pool } = await createMigratedTestDatabase('orders_status', MIGRATIONS_FOLDER));
    db = createDb(pool);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  /** An order placed an hour ago (past any deadline), then put straight into `status`. */
  async function orderIn(status: OrderStatus) {
    const order = { id: randomUUID(), buyerId: randomUUID(), productId: randomUUID() };
    await insertOrderIfNew(
      db,
      {
        id: order.id,
        createdAt: new Date(Date.now() - 3_600_000),
        buyerId: order.buyerId,
        idempotencyKey: randomUUID(),
        requestHash: 'hash',
        placedEventId: randomUUID(),
        correlationId: `corr-${order.id}`,
        items: [{ productId: order.productId, quantity: 2, unitPrice: '5.00' }],
      },
      [{ stream: 'test:orders:unused', fields: { type: 'order.placed' } }],
    );
    await pool.query(
      `UPDATE orders SET status = $2, reason = CASE WHEN $2 = 'FAILED' THEN 'OUT_OF_STOCK' END WHERE id = $1`,
      [order.id, status],
    );
    if (status !== 'PENDING') await pool.query('DELETE FROM pending_orders WHERE order_id = $1', [order.id]);
    return order;
  }

  const isPending = async (id: string) =>
    (await pool.query('SELECT 1 FROM pending_orders WHERE order_id = $1', [id])).rowCount === 1;

  const hotUpdates = async () => {
    await pool.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await pool.query<{ n: string }>(
      `SELECT n_tup_hot_upd AS n FROM pg_stat_user_tables WHERE relname = 'orders'`,
    );
    return Number(rows[0]!.n);
  };
  const statusOf = async (id: string) =>
    (await pool.query<{ status: OrderStatus }>('SELECT status FROM orders WHERE id = $1', [id])).rows[0]!.status;
  const cancel = () => ({ eventId: randomUUID(), correlationId: 'corr-status-test' });

  const statements: {
    name: string;
    to: OrderStatus;
    apply(order: Awaited<ReturnType<typeof orderIn>>): Promise<boolean>;
  }[] = [
    {
      name: 'a COMPLETED reply (settleOrders)',
      to: 'COMPLETED',
      apply: (order) =>
        db.transaction(async (tx) => {
          const priced = [
            { productId: order.productId, productName: 'Lamp', sellerId: randomUUID(), quantity: 2, unitPrice: '5.00' },
          ];
          return (await settleOrders(tx, [{ id: order.id, status: 'COMPLETED', reason: null, priced }])).length === 1;
        }),
    },
    {
      name: 'a FAILED reply (settleOrders)',
      to: 'FAILED',
      apply: (order) =>
        db.transaction(
          async (tx) =>
            (await settleOrders(tx, [{ id: order.id, status: 'FAILED', reason: 'OUT_OF_STOCK', priced: [] }]))
              .length === 1,
        ),
    },
    {
      name: 'the time-out (markTimedOut)',
      to: 'FAILED',
      apply: (order) =>
        db.transaction(
          async (tx) =>
            (await markTimedOut(tx, [{ id: order.id, cancel: { ...cancel(), at: new Date() } }])).length === 1,
        ),
    },
    {
      name: "the buyer's cancel (markCancelled)",
      to: 'CANCELLED',
      apply: (order) => db.transaction((tx) => markCancelled(tx, order.id, order.buyerId, cancel())),
    },
  ];

  const cases = statements.flatMap((statement) =>
    ORDER_STATUSES.map((from) => [statement.name, from, statement] as const),
  );

  it.each(cases)(
    'when %s meets an order that is %s, then it changes the order exactly when the table allows it',
    async (_name, from, statement) => {
      const order = await orderIn(from);
      const allowed = canTransition(from, statement.to);

      const changed = await statement.apply(order);

      expect(changed).toBe(allowed);
      expect(await statusOf(order.id)).toBe(allowed ? statement.to : from);
      // pending_orders holds exactly the PENDING orders, whatever moved them on.
      expect(await isPending(order.id)).toBe((await statusOf(order.id)) === 'PENDING');
    },
  );

  it('when an order settles, then its row is rewritten in place: no index of orders names the status', async () => {
    const { rows: indexes } = await pool.query<{ def: string }>(
      `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'orders'::regclass`,
    );
    expect(indexes.length).toBeGreaterThan(0);
    for (const { def } of indexes) expect(def).not.toMatch(/\bstatus\b/);

    const before = await hotUpdates();
    for (let i = 0; i < 5; i += 1) await statements[1]!.apply(await orderIn('PENDING'));
    // The statistics reach the view within a second or so of each commit.
    await eventually(async () => ((await hotUpdates()) >= before + 5 ? true : undefined), {
      what: 'five HOT updates of orders',
    });
  });

  it('when overdue orders are picked for the time-out, then only those the table lets become FAILED are locked', async () => {
    const orders = new Map<OrderStatus, string>();
    for (const status of ORDER_STATUSES) orders.set(status, (await orderIn(status)).id);

    const locked = new Set(await db.transaction((tx) => lockOverdue(tx, 60, 1_000)));

    expect(ORDER_STATUSES.filter((status) => locked.has(orders.get(status)!))).toEqual(sourcesOf('FAILED'));
  });
});
