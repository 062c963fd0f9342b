// Ceilings of the order pipeline on this machine: pgbench running the minimum database work of
// one order, and redis-benchmark XADD. The order benchmark divides its throughput by these.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canUseApt, ensureApt } from '../lib/apt.js';
import { sql } from '../lib/infra.js';
import { findPgBinDir } from '../lib/postgres.js';
import { SetupError, repoRoot, run, which } from '../lib/proc.js';
import { withRedis } from '../lib/redis.js';
import { createDatabases, databaseUrl, dropDatabases } from '../lib/stack.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** An executable from the machine, installing its Debian package when we are root; otherwise names the command. */
async function locateTool(name: string, aptPackage: string, candidates: string[] = []): Promise<string> {
  const found = () => candidates.find((c) => existsSync(c)) ?? which(name);
  const present = found();
  if (present) return present;
  if (!canUseApt())
    throw new SetupError(`${name} was not found. Install it with:\n  sudo apt-get install -y ${aptPackage}`);
  await ensureApt([aptPackage], { why: `${name} is needed for the ceiling measurement` });
  const installed = found();
  if (!installed) throw new SetupError(`${aptPackage} was installed but ${name} is still missing`);
  return installed;
}

const locatePgbench = () => {
  const dir = findPgBinDir();
  return locateTool('pgbench', 'postgresql-contrib', dir ? [path.join(dir, 'pgbench')] : []);
};
const locateRedisBenchmark = () => locateTool('redis-benchmark', 'redis-tools');

/** libpq settings of a postgres:// URL, for tools that take -h/-p/-U and PGPASSWORD. */
function pgConnection(url: string): { args: string[]; env: Record<string, string>; db: string } {
  const u = new URL(url);
  return {
    args: ['-h', u.hostname || '127.0.0.1', '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')],
    env: u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {},
    db: u.pathname.replace(/^\//, '') || 'postgres',
  };
}

/** The service's committed migrations in journal order, with "public". dropped so a search_path places them in a schema. */
function migrationSql(service: string): string {
  const folder = path.join(repoRoot, 'backend', service, 'drizzle');
  const journal = path.join(folder, 'meta', '_journal.json');
  const tags = existsSync(journal)
    ? (JSON.parse(readFileSync(journal, 'utf8')) as { entries: { tag: string }[] }).entries.map((e) => e.tag)
    : readdirSync(folder)
        .filter((f) => f.endsWith('.sql'))
        .map((f) => f.replace(/\.sql$/, ''))
        .sort();
  return tags
    .map((tag) => readFileSync(path.join(folder, `${tag}.sql`), 'utf8'))
    .join(';\n')
    .replaceAll('--> statement-breakpoint', '')
    .replaceAll('"public".', '')
    .replace(/CREATE EXTENSION IF NOT EXISTS pg_trgm[^;]*;/gi, '');
}

/**
 * Builds a scratch database holding the orders and products schemas from the real migrations
 * (one PostgreSQL schema each, since a pgbench script talks to one database) and `products` rows.
 */
async function prepareScratchDatabase(adminUrl: string, db: string, products: number): Promise<string> {
  await dropDatabases(adminUrl, [db]);
  await createDatabases(adminUrl, [db]);
  const url = databaseUrl(adminUrl, db);
  const statements = [
    'create extension if not exists pg_trgm',
    'create schema orders',
    'create schema products',
    `set search_path = orders, public; ${migrationSql('orders-service')}`,
    `set search_path = products, public; ${migrationSql('products-service')}`,
    `insert into products.products (id, seller_id, seller_name, name, description, category, price, stock)
       select md5('p' || i)::uuid, md5('seller')::uuid, 'bench-seller', 'Bench product ' || i, 'pgbench row', 'other', 10.00, 1000000
       from generate_series(1, ${Number(products)}) i`,
    'analyze',
  ];
  for (const statement of statements) {
    await sql(url, statement).catch((err: unknown) => {
      throw new SetupError(
        `preparing the pgbench database failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }
  return url;
}

/**
 * pgbench: `clients` connections for `seconds`, each script run being one order in three commits,
 * as the services do it. Returns { ordersPerSecond, latencyMs, clients, seconds, script }.
 */
export async function measurePgbench({
  adminUrl,
  suffix,
  products,
  clients,
  threads,
  seconds,
  onProgress,
}: {
  adminUrl: string;
  suffix: string;
  products: number;
  clients: number;
  threads: number;
  seconds: number;
  onProgress?: (line: string) => void;
}) {
  const pgbench = await locatePgbench();
  const db = `pgbench${suffix}`;
  const url = await prepareScratchDatabase(adminUrl, db, products);
  const script = path.join(here, 'order-transactions.sql');
  const conn = pgConnection(url);
  const args = [
    ...conn.args,
    '-n',
    '-f',
    script,
    '-D',
    `products=${products}`,
    '-c',
    String(clients),
    '-j',
    String(threads),
    '-T',
    String(seconds),
    '-P',
    String(Math.max(1, Math.floor(seconds / 5))),
    conn.db,
  ];
  try {
    const res = await run(pgbench, args, {
      capture: true,
      env: { ...process.env, ...conn.env },
      timeoutMs: (seconds + 60) * 1000,
    });
    if (res.code !== 0)
      throw new SetupError(
        `pgbench failed (exit ${res.code}):\n${res.stderr.trim().split('\n').slice(-10).join('\n')}`,
      );
    for (const line of res.stderr.split('\n').filter((l) => l.startsWith('progress:'))) onProgress?.(line.trim());
    const tps = Number(
      /tps = ([\d.]+) \(without initial connection time\)/.exec(res.stdout)?.[1] ??
        /tps = ([\d.]+)/.exec(res.stdout)?.[1],
    );
    const latency = Number(/latency average = ([\d.]+) ms/.exec(res.stdout)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(res.stdout)?.[1] ?? 0);
    if (!Number.isFinite(tps)) throw new SetupError(`cannot read pgbench's result:\n${res.stdout}`);
    return {
      ordersPerSecond: tps,
      latencyMs: Number.isFinite(latency) ? latency : null,
      failed,
      clients,
      threads,
      seconds,
      products,
      script: path.relative(repoRoot, script),
    };
  } finally {
    await dropDatabases(adminUrl, [db]);
  }
}

/** redis-benchmark XADD with the relay's MAXLEN ~ on a throwaway key. Returns { xaddPerSecond, p50Ms, p99Ms, ... }. */
export async function measureRedisXadd({
  redisUrl,
  suffix,
  clients,
  requests,
}: {
  redisUrl: string;
  suffix: string;
  clients: number;
  requests: number;
}) {
  const tool = await locateRedisBenchmark();
  const u = new URL(redisUrl);
  const key = `bench${suffix}:xadd-ceiling`;
  const args = [
    '-h',
    u.hostname || '127.0.0.1',
    '-p',
    u.port || '6379',
    '-c',
    String(clients),
    '-n',
    String(requests),
    '--csv',
  ];
  if (u.password) args.push('-a', decodeURIComponent(u.password));
  if (u.username && u.password) args.push('--user', decodeURIComponent(u.username));
  const db = u.pathname.replace('/', '');
  if (db) args.push('--dbnum', db);
  const payload = JSON.stringify([{ product_id: '00000000-0000-4000-8000-000000000000', quantity: 1, price: '10.00' }]);
  args.push(
    'XADD',
    key,
    'MAXLEN',
    '~',
    '100000',
    '*',
    'type',
    'order.placed',
    'order_id',
    '__rand_int__',
    'products',
    payload,
  );
  try {
    const res = await run(tool, args, { capture: true, timeoutMs: 120_000 });
    const line = res.stdout.split('\n').find((l) => l.startsWith('"XADD'));
    if (res.code !== 0 || !line)
      throw new SetupError(
        `redis-benchmark failed (exit ${res.code}):\n${(res.stderr || res.stdout).trim().slice(-800)}`,
      );
    // The command cell holds JSON with escaped quotes; the seven figures after it are plain.
    const [rps, , , p50, , p99] = line
      .split(',')
      .slice(-7)
      .map((c) => Number(c.replace(/"/g, '')));
    return { xaddPerSecond: rps, p50Ms: p50, p99Ms: p99, clients, requests };
  } finally {
    await withRedis(redisUrl, (redis) => redis.del(key)).catch(() => undefined);
  }
}
