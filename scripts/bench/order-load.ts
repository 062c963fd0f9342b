// Drives POST /api/orders at a fixed rate (open loop) and follows each order to its final status.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sleep } from '../lib/proc.js';
import { type HttpClient, type Reply } from './http-client.js';
import { CSRF, type Market } from './seed.js';
import { Samples, ms, rate as fmtRate } from './stats.js';

/** Failed requests by kind (`HTTP 503`, `ECONNRESET` …) and one sample body under `sample`, as the results JSON holds them. */
export type ErrorKinds = Record<string, number | string>;

export interface Followed {
  status: string;
  at: number;
}

export interface Tracker {
  readonly open: number;
  readonly modes: { sse: number; poll: number; current: 'sse' | 'poll' };
  follow(orderId: string, cookie: string): Promise<Followed | null>;
}

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

function statusIn(data: string): string | null {
  try {
    const parsed = JSON.parse(data) as { status?: string; order?: { status?: string } } | null;
    return parsed?.status ?? parsed?.order?.status ?? null;
  } catch {
    return null;
  }
}

/**
 * Follows orders to a final status: through SSE (GET /api/orders/:id/events) while fewer than
 * `maxStreams` are open, else by polling GET /api/orders/:id. If the event stream is not
 * answered with 200 once, every later order is polled.
 */
export function createTracker(
  client: HttpClient,
  { maxStreams, pollMs, timeoutMs }: { maxStreams: number; pollMs: number; timeoutMs: number },
): Tracker {
  let open = 0;
  let mode: 'sse' | 'poll' = 'sse';
  const modes = { sse: 0, poll: 0 };

  async function poll(orderId: string, cookie: string, deadline: number): Promise<Followed> {
    while (performance.now() < deadline) {
      const res = await client.request('GET', `/api/orders/${orderId}`, { headers: { cookie } });
      const status = res.status === 200 && !res.error ? statusIn(res.body) : null;
      if (status && FINAL.has(status)) return { status, at: performance.now() };
      await sleep(pollMs);
    }
    return { status: 'TIMEOUT', at: performance.now() };
  }

  function sse(orderId: string, cookie: string, deadline: number): Promise<Followed> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: Followed) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stream.close();
        resolve(result);
      };
      const stream = client.events(`/api/orders/${orderId}/events`, {
        headers: { cookie },
        timeout: timeoutMs,
        onEvent: (data) => {
          const status = statusIn(data);
          if (status && FINAL.has(status)) finish({ status, at: performance.now() });
        },
      });
      const timer = setTimeout(
        () => finish({ status: 'TIMEOUT', at: performance.now() }),
        Math.max(0, deadline - performance.now()),
      );
      void stream.done.then(async (result) => {
        if (settled) return;
        // The events route is missing or refused us: poll this order and every later one.
        if (result.status !== 200) mode = 'poll';
        // A stream that ended before a final status (a proxy timeout, a restart): finish by polling.
        settled = true;
        clearTimeout(timer);
        resolve(await poll(orderId, cookie, deadline));
      });
    });
  }

  return {
    get open() {
      return open;
    },
    get modes() {
      return { ...modes, current: mode };
    },
    /** → { status, at } (performance.now() when the final status was seen), or null when not followed. */
    async follow(orderId: string, cookie: string) {
      if (open >= maxStreams) return null;
      open += 1;
      const deadline = performance.now() + timeoutMs;
      try {
        modes[mode] += 1;
        return mode === 'sse' ? await sse(orderId, cookie, deadline) : await poll(orderId, cookie, deadline);
      } finally {
        open -= 1;
      }
    },
  };
}

interface OrderLine {
  productId: string;
  quantity: number;
  unitPrice: string;
}

function orderBody(market: Pick<Market, 'buyers' | 'products'>, index: number): { items: OrderLine[] } {
  const { products } = market;
  const lines = 1 + (index % 2);
  const first = (index * 7919) % products.length;
  const items: OrderLine[] = [];
  for (let i = 0; i < lines; i += 1) {
    const product = products[(first + i * 13) % products.length];
    if (!product || items.some((item) => item.productId === product.id)) continue;
    items.push({ productId: product.id, quantity: 1 + ((index + i) % 3), unitPrice: product.price });
  }
  return { items };
}

/**
 * One load step: `rate` orders/s for `seconds`, spread over the buyers. Latency counts from the
 * moment a request was due, so a stalled generator or a slow server cannot hide queueing.
 * Returns the step's figures (completed/s comes from the caller, which asks the database).
 */
export interface StepResult {
  wallStart: Date;
  wallEnd: Date;
  seconds: number;
  target: number;
  attempted: number;
  accepted: number;
  skipped: number;
  errors: ErrorKinds;
  post: Samples;
  toFinal: Samples;
  final: Record<string, number>;
  /** Resolves when every followed order has reached a final status or timed out. */
  settled: () => Promise<{ final: Record<string, number>; untracked: number }>;
}

export async function runStep({
  client,
  tracker,
  market,
  rate,
  seconds,
  maxInFlight,
  progressEverySeconds = 5,
  label,
  counter,
}: {
  client: HttpClient;
  tracker: Tracker;
  market: Pick<Market, 'buyers' | 'products'>;
  rate: number;
  seconds: number;
  maxInFlight: number;
  progressEverySeconds?: number;
  label: string;
  counter: { next: number };
}): Promise<StepResult> {
  const post = new Samples();
  const toFinal = new Samples();
  const errors: ErrorKinds = {};
  const final: Record<string, number> = {};
  const follows: Promise<void>[] = [];
  let accepted = 0;
  let skipped = 0;
  let inFlight = 0;
  let issued = 0;
  let untracked = 0;
  const posts = new Set<Promise<void>>();

  const place = async (due: number): Promise<void> => {
    const index = counter.next++;
    const buyer = market.buyers[index % market.buyers.length];
    if (!buyer) return;
    inFlight += 1;
    const res = await client.request('POST', '/api/orders', {
      headers: { ...CSRF, cookie: buyer.cookie, 'idempotency-key': randomUUID() },
      body: orderBody(market, index),
    });
    inFlight -= 1;
    const latency = performance.now() - due;
    if (res.error || (res.status !== 202 && res.status !== 201)) {
      countError(errors, res);
      return;
    }
    accepted += 1;
    post.add(latency);
    const order = JSON.parse(res.body) as { id: string; status: string };
    if (FINAL.has(order.status)) {
      final[order.status] = (final[order.status] ?? 0) + 1;
      toFinal.add(latency);
      return;
    }
    const followed = tracker.follow(order.id, buyer.cookie).then((result) => {
      if (!result) {
        untracked += 1;
        return;
      }
      final[result.status] = (final[result.status] ?? 0) + 1;
      if (result.status === 'COMPLETED') toFinal.add(result.at - due);
    });
    follows.push(followed);
  };

  const started = performance.now();
  const wallStart = new Date();
  let nextReport = progressEverySeconds * 1000;
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= seconds * 1000) break;
    // Request k is due at k/rate seconds: at elapsed t, requests 0 … floor(t·rate) are due.
    const due = Math.min(Math.floor((elapsed / 1000) * rate) + 1, Math.floor(seconds * rate));
    while (issued < due) {
      const dueAt = started + (issued * 1000) / rate;
      issued += 1;
      if (inFlight >= maxInFlight) {
        skipped += 1;
        continue;
      }
      const p = place(dueAt);
      posts.add(p);
      void p.finally(() => posts.delete(p));
    }
    if (elapsed >= nextReport) {
      nextReport += progressEverySeconds * 1000;
      const done = final.COMPLETED ?? 0;
      process.stdout.write(
        `  ${label} ${Math.round(elapsed / 1000)}s: placed ${accepted} (${fmtRate(accepted / (elapsed / 1000))}/s), completed ${done}, ` +
          `POST p99 ${ms(post.percentile(99))}, in flight ${inFlight}, followed ${tracker.open}` +
          `${skipped ? `, skipped ${skipped}` : ''}${Object.keys(errors).length ? `, errors ${JSON.stringify(errors)}` : ''}\n`,
      );
    }
    await sleep(2);
  }
  await Promise.all([...posts]);
  const wallEnd = new Date();
  return {
    wallStart,
    wallEnd,
    seconds: (performance.now() - started) / 1000,
    target: rate,
    attempted: issued,
    accepted,
    skipped,
    errors,
    post,
    toFinal,
    final,
    /** Resolves when every followed order has reached a final status or timed out. */
    settled: () => Promise.all(follows).then(() => ({ final, untracked })),
  };
}

/** How many requests of a step failed with a kind of error `counts` accepts; `errors` holds a count per kind and one sample body. */
export const errorCount = (errors: ErrorKinds, counts: (kind: string) => boolean = () => true): number =>
  Object.entries(errors)
    .filter(([kind]) => kind !== 'sample' && counts(kind))
    .reduce((n, [, count]) => n + Number(count), 0);

/** Counts a failed request under its kind (`HTTP 503`, or the socket error's code) and keeps the first body as `sample`. */
export function countError(errors: ErrorKinds, res: Reply): void {
  const key = res.error ? (res.error.code ?? res.error.message ?? 'error') : `HTTP ${res.status}`;
  errors[key] = Number(errors[key] ?? 0) + 1;
  if (!errors.sample) errors.sample = res.error ? res.error.message : res.body.slice(0, 200);
}
