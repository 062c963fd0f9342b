// Buyers as a client that keeps trying would be: each order placed with one Idempotency-Key and retried
// with that same key while the answer is a 5xx, a 429 or no answer at all; cancels retried alike.
import { randomUUID } from 'node:crypto';
import { type HttpClient, type Reply } from '../bench/http-client.js';
import { type BenchProduct, CSRF } from '../bench/seed.js';
import { type ChaosUser } from './system.js';

export interface Rng {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(list: readonly T[]) => T;
}

export interface Tally {
  attempted: number;
  /** idempotency key → the order and its buyer */
  accepted: Map<string, { orderId: string; buyerId: string }>;
  /** idempotency key → buyer id */
  unanswered: Map<string, string>;
  /** final non-retryable answers other than 2xx, by status */
  refused: Record<string, number>;
  refusedSample?: string;
  /** retryable failures seen along the way, by kind */
  retries: Record<string, number>;
  cancels: {
    requested: number;
    cancelled: number;
    conflict: number;
    unanswered: number;
    other: Record<string, number>;
  };
}

export interface Shoppers {
  tally: Tally;
  placeOne: (index: number) => Promise<string | null>;
  cancelsDone: () => Promise<void>;
}
import { sleep } from '../lib/proc.js';

/** Deterministic random numbers (mulberry32), so a run can be repeated with its --seed. */
export function randomSource(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T,
  };
}

const retryable = (status: number): boolean => status === 0 || status === 429 || status >= 500;

function retryDelay(res: Reply, attempt: number): number {
  const after = Number(res.headers?.['retry-after']);
  const backoff = Math.min(2000, 100 * 2 ** Math.min(attempt, 5));
  return Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 5000) : backoff;
}

const describe = (res: Reply): string =>
  res.error ? (res.error.code ?? res.error.message ?? 'no answer') : `HTTP ${res.status}`;

/**
 * Sends the request until it is answered with something other than a retryable failure or
 * `giveUpAt` (ms epoch) passes or `shouldStop()` says the run is over. → { res, attempts, failures: { kind: count } }.
 */
async function persist(
  send: () => Promise<Reply>,
  giveUpAt: number,
  shouldStop: () => boolean,
): Promise<{ res: Reply; attempts: number; failures: Record<string, number>; gaveUp?: boolean }> {
  const failures: Record<string, number> = {};
  for (let attempt = 1; ; attempt += 1) {
    const res = await send();
    if (!retryable(res.status)) return { res, attempts: attempt, failures };
    failures[describe(res)] = (failures[describe(res)] ?? 0) + 1;
    if (Date.now() >= giveUpAt || shouldStop()) return { res, attempts: attempt, failures, gaveUp: true };
    await sleep(retryDelay(res, attempt));
  }
}

/** 1 or 2 lines over `products`, 1–3 units each, at the catalog's price. */
function basket(
  rng: Rng,
  products: readonly BenchProduct[],
): { productId: string; quantity: number; unitPrice: string }[] {
  const lines = Math.min(1 + rng.int(2), products.length);
  const items: { productId: string; quantity: number; unitPrice: string }[] = [];
  while (items.length < lines) {
    const product = rng.pick(products);
    if (items.some((item) => item.productId === product.id)) continue;
    items.push({ productId: product.id, quantity: 1 + rng.int(3), unitPrice: product.price });
  }
  return items;
}

/**
 * Places orders and cancels some of them, tallying everything the checks need afterwards:
 * accepted (key → order id), unanswered keys (the order may or may not exist), cancels.
 */
export function createShoppers({
  client,
  buyers,
  products,
  rng,
  retryForMs = 60_000,
  cancelShare = 0,
  cancelWithinMs = 3000,
  shouldStop = () => false,
}: {
  client: HttpClient;
  buyers: readonly ChaosUser[];
  products: readonly BenchProduct[];
  rng: Rng;
  retryForMs?: number;
  cancelShare?: number;
  cancelWithinMs?: number;
  shouldStop?: () => boolean;
}): Shoppers {
  const tally: Tally = {
    attempted: 0,
    accepted: new Map(), // idempotency key → { orderId, buyerId, status }
    unanswered: new Map(), // idempotency key → buyer id
    refused: {}, // final non-retryable answers other than 2xx, by status
    retries: {}, // retryable failures seen along the way, by kind
    cancels: { requested: 0, cancelled: 0, conflict: 0, unanswered: 0, other: {} },
  };
  const pendingCancels = new Set<Promise<void>>();
  const merge = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };

  async function cancel(buyer: ChaosUser, orderId: string): Promise<void> {
    tally.cancels.requested += 1;
    const { res, failures, gaveUp } = await persist(
      () =>
        client.request('POST', `/api/orders/${orderId}/cancel`, {
          headers: { ...CSRF, cookie: buyer.cookie },
          timeout: 10_000,
        }),
      Date.now() + retryForMs,
      shouldStop,
    );
    merge(tally.retries, failures);
    if (gaveUp) tally.cancels.unanswered += 1;
    else if (res.status === 200) tally.cancels.cancelled += 1;
    // Already FAILED, or already CANCELLED by an attempt whose answer was lost.
    else if (res.status === 409) tally.cancels.conflict += 1;
    else tally.cancels.other[res.status] = (tally.cancels.other[res.status] ?? 0) + 1;
  }

  /** Places order number `index`; → the order id, or null when it was refused or never answered. */
  async function placeOne(index: number): Promise<string | null> {
    const buyer = buyers[index % buyers.length];
    if (!buyer) return null;
    const key = randomUUID();
    const items = basket(rng, products);
    tally.attempted += 1;
    const { res, failures, gaveUp } = await persist(
      () =>
        client.request('POST', '/api/orders', {
          headers: { ...CSRF, cookie: buyer.cookie, 'idempotency-key': key },
          body: { items },
          timeout: 10_000,
        }),
      Date.now() + retryForMs,
      shouldStop,
    );
    merge(tally.retries, failures);
    if (gaveUp) {
      tally.unanswered.set(key, buyer.id);
      return null;
    }
    if (res.error || (res.status !== 202 && res.status !== 200 && res.status !== 201)) {
      tally.refused[res.status] = (tally.refused[res.status] ?? 0) + 1;
      tally.refusedSample ??= res.body?.slice(0, 300);
      return null;
    }
    const order = JSON.parse(res.body) as { id: string };
    tally.accepted.set(key, { orderId: order.id, buyerId: buyer.id });
    if (cancelShare > 0 && rng.next() < cancelShare) {
      const delay = rng.int(cancelWithinMs + 1);
      const done = sleep(delay).then(() => cancel(buyer, order.id));
      pendingCancels.add(done);
      void done.finally(() => pendingCancels.delete(done));
    }
    return order.id;
  }

  return {
    tally,
    placeOne,
    /** Resolves when every scheduled cancel has been answered or given up. */
    cancelsDone: async () => {
      while (pendingCancels.size) await Promise.all([...pendingCancels]);
    },
  };
}

/** `total` orders at `rate` per second (open loop), at most `maxInFlight` at once. */
export async function placeAtRate(
  shoppers: Shoppers,
  {
    total,
    rate,
    maxInFlight = 128,
    shouldStop = () => false,
  }: { total: number; rate: number; maxInFlight?: number; shouldStop?: () => boolean },
): Promise<void> {
  const started = Date.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < total && !shouldStop(); i += 1) {
    const dueAt = started + (i * 1000) / rate;
    if (dueAt > Date.now()) await sleep(dueAt - Date.now());
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const p: Promise<unknown> = shoppers.placeOne(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

/** `total` orders over `connections` loops, each placing its next order once the last was answered. */
export async function placeClosedLoop(
  shoppers: Shoppers,
  { total, connections, shouldStop = () => false }: { total: number; connections: number; shouldStop?: () => boolean },
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < total && !shouldStop()) await shoppers.placeOne(next++);
    }),
  );
}
