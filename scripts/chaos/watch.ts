// What a run watches while the load goes on: progress every few seconds, a stall (orders waiting and
// none settling), and the errors Redis answered across its restarts.
import { formatDuration, sleep } from '../lib/proc.js';
import { redisErrors } from './checks.js';
import { countsByStatus } from './market.js';
import { type Shoppers } from './shoppers.js';
import { type ChaosSystem } from './system.js';

export interface RedisErrorTracker {
  sample: () => Promise<void>;
  total: () => Record<string, number>;
}

export interface Stall {
  atMs: number;
  pending: number;
  seconds: number;
}

/** Redis' error counts over every life of the server (a restart zeroes INFO errorstats). */
export function redisErrorTracker(redisUrl: string): RedisErrorTracker {
  const before: Record<string, number> = {};
  let current: Record<string, number> = {};
  return {
    async sample() {
      const now = await redisErrors(redisUrl).catch(() => null);
      if (!now) return;
      // Fewer than last time: the server restarted; bank what the earlier life answered.
      if (Object.entries(current).some(([k, v]) => (now[k] ?? 0) < v))
        for (const [k, v] of Object.entries(current)) before[k] = (before[k] ?? 0) + v;
      current = now;
    },
    total: () =>
      Object.fromEntries(
        [...new Set([...Object.keys(before), ...Object.keys(current)])].map((k) => [
          k,
          (before[k] ?? 0) + (current[k] ?? 0),
        ]),
      ),
  };
}
/**
 * Every `everyMs`, logs the orders by status, the kills and the processes down; declares a stall once
 * orders are PENDING and none settled for `stallSeconds` (0: never). → { stalled(), stop() }.
 */
export function startProgress({
  system,
  ordersUrl,
  buyerIds,
  shoppers,
  total,
  stallSeconds,
  since,
  log,
  errors,
  everyMs = 5000,
}: {
  system: ChaosSystem;
  ordersUrl: string;
  buyerIds: string[];
  shoppers: Shoppers;
  total: number;
  stallSeconds: number;
  since: number;
  log: (line: string) => void;
  errors: RedisErrorTracker;
  everyMs?: number;
}): { stalled: () => Stall | null; stop: () => Promise<void> } {
  const loadStart = Date.now();
  let stall: Stall | null = null;
  let lastSettled = -1;
  let lastChange = Date.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      await sleep(everyMs);
      if (!running) break;
      await errors.sample();
      const counts = await countsByStatus(ordersUrl, buyerIds).catch(() => null);
      if (!counts) continue;
      const settled = (counts.COMPLETED ?? 0) + (counts.FAILED ?? 0) + (counts.CANCELLED ?? 0);
      if (settled !== lastSettled) {
        lastSettled = settled;
        lastChange = Date.now();
      } else if (
        !stall &&
        stallSeconds > 0 &&
        (counts.PENDING ?? 0) > 0 &&
        Date.now() - lastChange > stallSeconds * 1000
      ) {
        stall = { atMs: Date.now() - since, pending: counts.PENDING ?? 0, seconds: stallSeconds };
        log(
          `  ! stall: ${counts.PENDING} orders PENDING and none settled for ${stallSeconds}s; no more orders are placed`,
        );
      }
      const down = system.slots.filter((sl) => !sl.ready).map((sl) => sl.name);
      const kills = system.slots.reduce((n, sl) => n + sl.kills, 0);
      const retried = Object.values(shoppers.tally.retries).reduce((a, b) => a + b, 0);
      log(
        `  ${formatDuration(Date.now() - loadStart)}: placed ${shoppers.tally.accepted.size}/${total} (${retried} retried requests), ` +
          `PENDING ${counts.PENDING ?? 0}, COMPLETED ${counts.COMPLETED ?? 0}, FAILED ${counts.FAILED ?? 0}, CANCELLED ${counts.CANCELLED ?? 0}; ` +
          `kills ${kills}${down.length ? `, down: ${down.join(' ')}` : ''}`,
      );
    }
  })();
  return {
    stalled: () => stall,
    async stop() {
      running = false;
      await loop;
    },
  };
}
