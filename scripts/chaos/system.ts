// The saga's processes as they run in production — products-service and orders-service replicas with
// their consumers in worker processes — started from the built entries on throwaway databases, each
// in a slot that is started again when its process dies (as a restart policy would), nginx in front.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { findFreePort, httpGet } from '../lib/net.js';
import { SetupError, killGroup, repoRoot, sleep, tailOf, waitForExit } from '../lib/proc.js';
import { type NginxFront, startNginxFront } from './nginx-front.js';

export type Kind = 'products-service' | 'products-worker' | 'orders-service' | 'orders-worker';

export interface ChaosUser {
  id: string;
  username: string;
  role: string;
  cookie: string;
}

export interface Tokens {
  publicKey: string;
  user(role: string, username: string, hours?: number): ChaosUser;
}

export interface Crash {
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  whileStarting: boolean;
  tail: string;
}

/** One process of the system, started again whenever it dies. */
export interface Slot {
  name: string;
  kind: Kind;
  port: number;
  url: string;
  logFile: string;
  env: Record<string, string>;
  child: ChildProcess | null;
  pid: number | null | undefined;
  ready: boolean;
  starts: number;
  kills: number;
  crashes: Crash[];
  startedAt?: number;
  readyAt?: number;
  killedByRun?: boolean;
}

export type SlotEvent =
  | { type: 'crash'; slot: Slot; code: number | null; signal: NodeJS.Signals | null; whileStarting: boolean }
  | { type: 'ready'; slot: Slot; tookMs: number }
  | { type: 'not-ready'; slot: Slot; last: string };

export interface SystemOptions {
  runId: string;
  dir: string;
  pgAdminUrl: string;
  redisUrl: string;
  counts: Partial<Record<Kind, number>>;
  logLevel?: string;
  nodeEnv?: string;
  nodeArgs?: (slot: Slot) => string[];
  env?: Record<string, string>;
  respawnDelayMs?: number;
  readyTimeoutMs?: number;
  onEvent?: (event: SlotEvent) => void;
}

export interface ChaosSystem {
  slots: Slot[];
  dbs: { products: string; orders: string };
  tokens: Tokens;
  logDir: string;
  url: string;
  nginxPid: number | undefined;
  dbUrl: (api: 'products' | 'orders') => string;
  kill: (slot: Slot) => boolean;
  allReady: (timeoutMs?: number) => Promise<Slot[]>;
  stop: (options?: { keepData?: boolean }) => Promise<void>;
}

/** What each kind of process runs; `api` kinds take HTTP traffic through nginx. */
const KINDS: Record<Kind, { service: string; entry: string; api?: 'products' | 'orders' }> = {
  'products-service': { service: 'products-service', entry: 'start.js', api: 'products' },
  'products-worker': { service: 'products-service', entry: 'worker-start.js' },
  'orders-service': { service: 'orders-service', entry: 'start.js', api: 'orders' },
  'orders-worker': { service: 'orders-service', entry: 'worker-start.js' },
};

const entryOf = (kind: Kind): string => path.join(repoRoot, 'backend', KINDS[kind].service, 'dist', KINDS[kind].entry);

function missingEntries(): string[] {
  return (Object.keys(KINDS) as Kind[])
    .map(entryOf)
    .filter((file) => !existsSync(file))
    .map((file) => path.relative(repoRoot, file));
}

const databaseUrl = (adminUrl: string, name: string): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

async function adminQuery(adminUrl: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Access tokens as auth-service mints them (ES256, iss/aud/sub), signed with the run's own key pair. */
/** `cookie`: the access cookie's name the services read (prefixed in production: SESSION_COOKIES). */
function tokenMinter(cookie: string): Tokens {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const kid = randomUUID();
  return {
    publicKey,
    /** → { id, username, role, cookie } of a new user whose token lasts `hours`. */
    user(role: string, username: string, hours = 12) {
      const id = randomUUID();
      // The chaos run has no mail catcher: its accounts are minted verified, as signTestToken's are.
      const token = jwt.sign({ username, role, email_verified: true }, privateKey, {
        algorithm: 'ES256',
        keyid: kid,
        subject: id,
        issuer: 'marketplace-auth',
        audience: 'marketplace',
        expiresIn: hours * 3600,
      });
      return { id, username, role, cookie: `${cookie}=${token}` };
    },
  };
}

/**
 * Starts the system. counts: { 'products-service', 'products-worker', 'orders-service', 'orders-worker' };
 * env: extra keys for every process; nodeArgs: for every process (e.g. --heapsnapshot-signal);
 * onEvent({ type: 'crash' | 'ready' | 'not-ready', slot, ... }) reports what happens to the slots.
 * → { slots, urls, dbs, tokens, kill(slot), stop({ keepData }) }.
 */
export async function startSystem({
  runId,
  dir,
  pgAdminUrl,
  redisUrl,
  counts,
  logLevel = 'info',
  nodeEnv = 'production',
  nodeArgs = () => [],
  env = {},
  respawnDelayMs = 1000,
  readyTimeoutMs = 120_000,
  onEvent = () => {},
}: SystemOptions): Promise<ChaosSystem> {
  if (!/^[a-z][a-z0-9_]*$/.test(runId)) throw new SetupError(`run id must be a-z, 0-9 and _: ${runId}`);
  const missing = missingEntries();
  if (missing.length)
    throw new SetupError(
      `the services are not built (missing ${missing.join(', ')}); run npx tsc -b backend/tsconfig.json`,
    );
  // Throwaway databases, named so no test or cleanup mistakes them for anything else.
  const dbs = { products: `${runId}_products_test`, orders: `${runId}_orders_test` };
  for (const name of Object.values(dbs)) await adminQuery(pgAdminUrl, `CREATE DATABASE ${name}`);
  // Production services read only the prefixed name; anything else only the plain one (COOKIE_SECURE=false).
  const tokens = tokenMinter(nodeEnv === 'production' ? '__Host-access_token' : 'access_token');
  const logDir = path.join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });

  const common = {
    NODE_ENV: nodeEnv,
    LOG_LEVEL: logLevel,
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    ORDERS_STREAM: 'orders_stream',
    INVENTORY_STREAM: 'inventory_stream',
    // CONSUMER_NAME is left to each process's default (host name and pid): a respawned process
    // joins its group as a new consumer, like a replaced container or pod.
  };
  const slots: Slot[] = [];
  // A random band, so two runs at once (the suite runs test files in parallel) rarely reach for the same ports.
  let nextPort = 20_000 + Math.floor(Math.random() * 240) * 50; // below the ephemeral range (32768+)
  for (const [kind, count = 0] of Object.entries(counts) as [Kind, number | undefined][]) {
    for (let i = 1; i <= count; i += 1) {
      const port = await findFreePort(nextPort);
      nextPort = port + 1;
      const spec = KINDS[kind];
      const own: Record<string, string> = {
        ...common,
        PORT: String(port),
        DATABASE_URL: databaseUrl(pgAdminUrl, spec.service === 'orders-service' ? dbs.orders : dbs.products),
        ...(spec.api
          ? {
              JWT_PUBLIC_KEY: tokens.publicKey,
              [spec.api === 'orders' ? 'RUN_ORDERS_WORKER' : 'RUN_INVENTORY_WORKER']: 'false',
            }
          : {}),
        ...env,
      };
      slots.push({
        name: count > 1 ? `${kind}-${i}` : kind,
        kind,
        port,
        url: `http://127.0.0.1:${port}`,
        logFile: path.join(logDir, `${count > 1 ? `${kind}-${i}` : kind}.log`),
        env: own,
        child: null,
        pid: null,
        ready: false,
        starts: 0,
        kills: 0,
        crashes: [],
      });
    }
  }

  let stopping = false;
  const spawnSlot = (slot: Slot): ChildProcess => {
    const fd = openSync(slot.logFile, 'a');
    const child = spawn(process.execPath, [...nodeArgs(slot), entryOf(slot.kind)], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir, ...slot.env },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    slot.child = child;
    slot.pid = child.pid;
    slot.ready = false;
    slot.starts += 1;
    slot.startedAt = Date.now();
    slot.killedByRun = false;
    child.once('exit', (code, signal) => {
      if (slot.child !== child) return;
      const wasReady = slot.ready;
      slot.ready = false;
      if (stopping) return;
      if (!slot.killedByRun) {
        slot.crashes.push({ at: Date.now(), code, signal, whileStarting: !wasReady, tail: tailOf(slot.logFile, 15) });
        onEvent({ type: 'crash', slot, code, signal, whileStarting: !wasReady });
      }
      setTimeout(() => {
        if (!stopping) void startSlot(slot);
      }, respawnDelayMs);
    });
    return child;
  };

  async function startSlot(slot: Slot): Promise<boolean> {
    const child = spawnSlot(slot);
    const started = Date.now();
    let reported = false;
    while (!stopping && slot.child === child && child.exitCode === null && child.signalCode === null) {
      const res = await httpGet(`${slot.url}/ready`, 2000);
      if (res.status === 200) {
        slot.ready = true;
        slot.readyAt = Date.now();
        onEvent({ type: 'ready', slot, tookMs: slot.readyAt - started });
        return true;
      }
      if (!reported && Date.now() - started > readyTimeoutMs) {
        reported = true;
        onEvent({
          type: 'not-ready',
          slot,
          last: res.status ? `HTTP ${res.status} ${res.body?.slice(0, 200)}` : 'no answer',
        });
      }
      await sleep(200);
    }
    return false;
  }

  const processExit = () => {
    for (const slot of slots) if (slot.pid) killGroup(slot.pid, 'SIGKILL');
  };
  process.once('exit', processExit);

  let nginx: NginxFront | undefined;
  const stop = async ({ keepData = false } = {}) => {
    stopping = true;
    await nginx?.stop();
    await Promise.all(slots.flatMap((s) => (s.child ? [waitForExit(s.child, 15_000, 'SIGTERM')] : [])));
    process.removeListener('exit', processExit);
    if (!keepData)
      for (const name of Object.values(dbs))
        await adminQuery(pgAdminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  };

  try {
    // The first process of each service migrates its database alone; the others start once it is ready.
    const firsts = ['products-service', 'orders-service']
      .map((kind) => slots.find((s) => s.kind === kind))
      .filter((s): s is Slot => s !== undefined);
    const ok = await Promise.all(firsts.map(startSlot));
    const later = slots.filter((s) => !firsts.includes(s));
    ok.push(...(await Promise.all(later.map(startSlot))));
    const down = slots.filter((s) => !s.ready);
    if (!ok.every(Boolean) || down.length) {
      throw new SetupError(
        `${down.map((s) => s.name).join(', ')} did not start:\n${down.map((s) => `--- ${s.name} ---\n${tailOf(s.logFile, 20)}`).join('\n')}`,
      );
    }
    const upstreams = (api: 'products' | 'orders') =>
      slots.filter((s) => KINDS[s.kind].api === api).map((s) => `127.0.0.1:${s.port}`);
    const front = await startNginxFront({
      dir: path.join(dir, 'nginx'),
      upstreams: { products: upstreams('products'), orders: upstreams('orders') },
    });
    nginx = front;
  } catch (error) {
    await stop();
    throw error;
  }
  const front = nginx;

  return {
    slots,
    dbs,
    tokens,
    logDir,
    url: front.url,
    nginxPid: front.pid,
    dbUrl: (api) => databaseUrl(pgAdminUrl, dbs[api]),
    /** SIGKILL, then the slot starts again after respawnDelayMs. */
    kill(slot) {
      if (!slot.child || slot.child.exitCode !== null || slot.child.signalCode !== null) return false;
      slot.killedByRun = true;
      slot.kills += 1;
      killGroup(slot.pid ?? undefined, 'SIGKILL');
      return true;
    },
    /** Resolves once every slot is ready again (or the deadline passes); → the slots still down. */
    async allReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && slots.some((s) => !s.ready)) await sleep(200);
      return slots.filter((s) => !s.ready);
    },
    stop,
  };
}
