// The faults a chaos run injects: processes SIGKILLed (their slot starts them again), a Redis crash and
// restart from its AOF, and every PostgreSQL session of one database terminated.
import pg from 'pg';
import { sleep } from '../lib/proc.js';
import { type Check } from '../lib/report-command.js';
import { withRedis } from '../lib/redis.js';
import { type RedisServer } from './redis-server.js';
import { type ChaosSettings } from './settings.js';
import { type Rng } from './shoppers.js';
import { type ChaosSystem, type Slot } from './system.js';

export interface Faults {
  kills?: { atMs: number; slot: string }[];
  redis?:
    | {
        atMs: number;
        downMs: number;
        loadMs: number;
        lengthsBefore: Record<string, number> | null;
        lengthsAfter: Record<string, number> | null;
        error?: undefined;
      }
    | { error: string; atMs?: undefined; downMs?: undefined };
  postgres?:
    | { atMs: number; database: string; terminated: number; error?: undefined }
    | { error: string; atMs?: undefined; terminated?: undefined };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Every `everyMs` (±50 %), SIGKILLs one random ready process of `system`. → { kills: [{ atMs, slot }], stop() }.
 * `since` is the run's start, for the report's offsets.
 */
function startKillLoop(
  system: ChaosSystem,
  {
    everyMs,
    rng,
    since,
    onKill = () => {},
  }: { everyMs: number; rng: Rng; since: number; onKill?: (slot: Slot) => void },
): { kills: { atMs: number; slot: string }[]; stop: () => Promise<void> } {
  const kills: { atMs: number; slot: string }[] = [];
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, everyMs * (0.5 + rng.next()));
      });
      if (!running) break;
      const candidates = system.slots.filter((slot) => slot.ready);
      if (!candidates.length) continue;
      const slot = rng.pick(candidates);
      if (system.kill(slot)) {
        kills.push({ atMs: Date.now() - since, slot: slot.name });
        onKill(slot);
      }
    }
  })();
  return {
    kills,
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}

/** SIGKILLs Redis, keeps it down for `downMs`, starts it again on its AOF. → { atMs, downMs, keysBefore, keysAfter }. */
async function crashRedis(
  redis: RedisServer,
  { downMs, since, streams }: { downMs: number; since: number; streams: string[] },
) {
  const lengths = async (): Promise<Record<string, number> | null> => {
    try {
      return await withRedis(redis.url, async (client) =>
        Object.fromEntries(await Promise.all(streams.map(async (s) => [s, await client.xlen(s)] as const))),
      );
    } catch {
      return null;
    }
  };
  const before = await lengths();
  const atMs = Date.now() - since;
  await redis.crash();
  await sleep(downMs);
  const restartedAt = Date.now();
  await redis.restart();
  return {
    atMs,
    downMs: Date.now() - since - atMs,
    loadMs: Date.now() - restartedAt,
    lengthsBefore: before,
    lengthsAfter: await lengths(),
  };
}

/** pg_terminate_backend on every session of database `name` (never stops the server). → { atMs, terminated }. */
async function terminateBackends(
  adminUrl: string,
  name: string,
  { since }: { since: number },
): Promise<{ atMs: number; database: string; terminated: number }> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const atMs = Date.now() - since;
    const { rows } = await client.query<{ terminated: number }>(
      'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return { atMs, database: name, terminated: rows[0]?.terminated ?? 0 };
  } finally {
    await client.end();
  }
}

/**
 * Starts the faults a run's settings ask for (times from faultTimes): the kill loop, the Redis crash,
 * the session termination. → { faults, finish(): stops the loop and waits for the one-off faults,
 * checks(stillDown): that each asked-for fault really happened }.
 */
export function scheduleFaults({
  s,
  times,
  system,
  redis,
  pgAdminUrl,
  rng,
  since,
  log,
  beforeRedisCrash = async () => {},
}: {
  s: ChaosSettings;
  times: { redisAt: number | null; pgAt: number | null };
  system: ChaosSystem;
  redis: RedisServer;
  pgAdminUrl: string;
  rng: Rng;
  since: number;
  log: (line: string) => void;
  beforeRedisCrash?: () => Promise<void>;
}): { faults: Faults; finish: () => Promise<void>; checks: (stillDown: Slot[]) => Check[] } {
  const faults: Faults = {};
  const killer =
    s.killEverySeconds > 0
      ? startKillLoop(system, {
          everyMs: s.killEverySeconds * 1000,
          rng,
          since,
          onKill: (slot) => log(`  ✂ SIGKILL ${slot.name} (pid ${slot.pid})`),
        })
      : null;
  const oneOffs: Promise<void>[] = [];
  if (times.redisAt !== null) {
    oneOffs.push(
      sleep(times.redisAt * 1000)
        .then(async () => {
          await beforeRedisCrash();
          log(`  ✂ Redis: SIGKILL, down ${s.redisDownSeconds}s, restarted on its AOF`);
          const crash = await crashRedis(redis, {
            downMs: s.redisDownSeconds * 1000,
            since,
            streams: ['orders_stream', 'inventory_stream'],
          });
          faults.redis = crash;
          log(
            `    Redis back (stream lengths ${JSON.stringify(crash.lengthsBefore)} → ${JSON.stringify(crash.lengthsAfter)})`,
          );
        })
        .catch((error: unknown) => {
          faults.redis = { error: messageOf(error) };
          log(`  ! Redis restart failed: ${messageOf(error)}`);
        }),
    );
  }
  if (times.pgAt !== null) {
    const target = s.pgTerminate === 'none' ? null : system.dbs[s.pgTerminate];
    const pgAt = times.pgAt;
    oneOffs.push(
      sleep(pgAt * 1000)
        .then(async () => {
          if (!target) throw new Error('no database named to terminate');
          const terminated = await terminateBackends(pgAdminUrl, target, { since });
          faults.postgres = terminated;
          log(`  ✂ PostgreSQL: terminated ${terminated.terminated} sessions of ${terminated.database}`);
        })
        .catch((error: unknown) => {
          faults.postgres = { error: messageOf(error) };
          log(`  ! terminating sessions failed: ${messageOf(error)}`);
        }),
    );
  }
  const at = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)}s`;
  return {
    faults,
    async finish() {
      await killer?.stop();
      await Promise.all(oneOffs);
      faults.kills = killer?.kills ?? [];
    },
    checks(stillDown) {
      const checks: Check[] = [];
      const kills = faults.kills ?? [];
      if (killer) {
        checks.push({
          name: 'processes SIGKILLed and started again',
          ok: kills.length > 0 && stillDown.length === 0,
          detail: `${kills.length} kills${stillDown.length ? `; still down: ${stillDown.map((d) => d.name).join(', ')}` : ', all back'}`,
        });
      }
      if (times.redisAt !== null) {
        checks.push({
          name: 'Redis crashed and restarted once',
          ok: Boolean(faults.redis?.downMs),
          detail: faults.redis?.error ?? `at ${at(faults.redis?.atMs)}, down ${at(faults.redis?.downMs)}`,
        });
      }
      if (times.pgAt !== null) {
        checks.push({
          name: `every session of ${s.pgTerminate}'s database terminated once`,
          ok: (faults.postgres?.terminated ?? 0) > 0,
          detail:
            faults.postgres?.error ?? `${faults.postgres?.terminated ?? 0} sessions at ${at(faults.postgres?.atMs)}`,
        });
      }
      return checks;
    },
  };
}
