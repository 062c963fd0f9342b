// The faults a chaos run injects: processes SIGKILLed (their slot starts them again), a Redis crash and
// restart from its AOF, and every PostgreSQL session of one database terminated.
import pg from 'pg';
import { sleep } from '../lib/proc.js';
import { redisCommands } from '../lib/redis.js';

/**
 * Every `everyMs` (±50 %), SIGKILLs one random ready process of `system`. → { kills: [{ atMs, slot }], stop() }.
 * `since` is the run's start, for the report's offsets.
 */
function startKillLoop(system, { everyMs, rng, since, onKill = () => {} }) {
  const kills = [];
  let running = true;
  let wake;
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => {
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
async function crashRedis(redis, { downMs, since, streams }) {
  const lengths = async () => {
    try {
      return Object.fromEntries(
        await Promise.all(streams.map(async (s) => [s, (await redisCommands(redis.url, [['XLEN', s]]))[0]])),
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
async function terminateBackends(adminUrl, name, { since }) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const atMs = Date.now() - since;
    const { rows } = await client.query(
      'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return { atMs, database: name, terminated: rows[0].terminated };
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
}) {
  const faults = {};
  const killer =
    s.killEverySeconds > 0
      ? startKillLoop(system, {
          everyMs: s.killEverySeconds * 1000,
          rng,
          since,
          onKill: (slot) => log(`  ✂ SIGKILL ${slot.name} (pid ${slot.pid})`),
        })
      : null;
  const oneOffs = [];
  if (times.redisAt !== null) {
    oneOffs.push(
      sleep(times.redisAt * 1000)
        .then(async () => {
          await beforeRedisCrash();
          log(`  ✂ Redis: SIGKILL, down ${s.redisDownSeconds}s, restarted on its AOF`);
          faults.redis = await crashRedis(redis, {
            downMs: s.redisDownSeconds * 1000,
            since,
            streams: ['orders_stream', 'inventory_stream'],
          });
          log(
            `    Redis back (stream lengths ${JSON.stringify(faults.redis.lengthsBefore)} → ${JSON.stringify(faults.redis.lengthsAfter)})`,
          );
        })
        .catch((error) => {
          faults.redis = { error: error.message };
          log(`  ! Redis restart failed: ${error.message}`);
        }),
    );
  }
  if (times.pgAt !== null) {
    oneOffs.push(
      sleep(times.pgAt * 1000)
        .then(async () => {
          faults.postgres = await terminateBackends(pgAdminUrl, system.dbs[s.pgTerminate], { since });
          log(`  ✂ PostgreSQL: terminated ${faults.postgres.terminated} sessions of ${faults.postgres.database}`);
        })
        .catch((error) => {
          faults.postgres = { error: error.message };
          log(`  ! terminating sessions failed: ${error.message}`);
        }),
    );
  }
  const at = (ms) => `${((ms ?? 0) / 1000).toFixed(1)}s`;
  return {
    faults,
    async finish() {
      await killer?.stop();
      await Promise.all(oneOffs);
      faults.kills = killer?.kills ?? [];
    },
    checks(stillDown) {
      const checks = [];
      if (killer) {
        checks.push({
          name: 'processes SIGKILLed and started again',
          ok: faults.kills.length > 0 && stillDown.length === 0,
          detail: `${faults.kills.length} kills${stillDown.length ? `; still down: ${stillDown.map((d) => d.name).join(', ')}` : ', all back'}`,
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
