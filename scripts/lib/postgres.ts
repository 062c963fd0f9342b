// PostgreSQL for the local stack and tests: a reachable server, else a private cluster in .local/pg.
// Queries go through pg.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { canUseApt, ensureApt } from './apt.js';
import { findFreePort, redactUrl, tcpProbe, waitUntil } from './net.js';
import {
  SetupError,
  type ServerHandle,
  isAlive,
  isRoot,
  rel,
  repoRoot,
  run,
  tailOf,
  waitForExit,
  which,
} from './proc.js';

const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const repoPgHome = path.join(repoRoot, '.local', 'pg');

/** Folder holding initdb, postgres and psql: next to a PATH initdb, else the newest /usr/lib/postgresql/<v>/bin. */
export function findPgBinDir(): string | null {
  const onPath = which('initdb');
  if (onPath) {
    const dir = path.dirname(realpathSync(onPath));
    if (existsSync(path.join(dir, 'postgres'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, 'bin') : null;
}

/**
 * Runs `text` (one statement with $n `values`, or several without) on a fresh pg connection to `url`
 * and returns the rows of the last statement.
 */
export async function sql<Row extends Record<string, unknown> = Record<string, unknown>>(
  url: string,
  text: string,
  values?: unknown[],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {}); // a connection lost between queries fails the query in progress
  await client.connect();
  try {
    const result = (await client.query(text, values)) as pg.QueryResult<Row> | pg.QueryResult<Row>[];
    return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The first column of the first row of `text`, as text (null when there is no row or it is NULL). */
export async function sqlValue(url: string, text: string, values?: unknown[]): Promise<string | null> {
  const [row] = await sql(url, text, values);
  const value = row ? Object.values(row)[0] : null;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

async function isReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  if (!(await tcpProbe(hostname || '127.0.0.1', Number(port || 5432)))) return false;
  try {
    await sql(url, 'select 1');
    return true;
  } catch {
    return false;
  }
}

async function postgresUser(): Promise<{ uid?: number; gid?: number }> {
  if (!isRoot()) return {};
  // initdb and postgres refuse to run as root, so the cluster belongs to the distro's postgres user.
  const uid = await run('id', ['-u', 'postgres'], { capture: true });
  const gid = await run('id', ['-g', 'postgres'], { capture: true });
  if (uid.code !== 0) {
    throw new SetupError(
      'PostgreSQL cannot run as root and there is no "postgres" user; install the distro package:\n  apt-get install -y postgresql',
    );
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/**
 * Where the private cluster lives: .local/pg, unless we are root and the postgres user cannot reach
 * the checkout (a parent folder closed to others), then a folder of its own under the system's temp.
 */
async function clusterHome(owner: { uid?: number; gid?: number }): Promise<string> {
  mkdirSync(repoPgHome, { recursive: true });
  if (owner.uid === undefined || owner.gid === undefined) return repoPgHome;
  chownSync(repoPgHome, owner.uid, owner.gid);
  // The postgres user must be able to pass through .local to reach its data folder.
  const local = path.dirname(repoPgHome);
  chmodSync(local, statSync(local).mode | 0o011);
  if ((await run('test', ['-w', repoPgHome], { ...owner, capture: true })).code === 0) return repoPgHome;
  const outside = path.join(
    os.tmpdir(),
    `marketplace-pg-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}`,
  );
  mkdirSync(outside, { recursive: true, mode: 0o700 });
  chownSync(outside, owner.uid, owner.gid);
  return outside;
}

async function startPrivateCluster(
  binDir: string,
): Promise<Omit<ServerHandle, 'private' | 'detail'> & { dataDir: string }> {
  const owner = await postgresUser();
  const pgHome = await clusterHome(owner);
  const dataDir = path.join(pgHome, 'data');
  const logFile = path.join(pgHome, 'postgres.log');
  const asOwner = { ...owner, cwd: pgHome, capture: true, env: { ...process.env, LC_ALL: 'C' } };

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const init = await run(
      path.join(binDir, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
      asOwner,
    );
    if (init.code !== 0) {
      const hint =
        owner.uid !== undefined
          ? `\n(as root the cluster runs as the postgres user, who must be able to reach ${pgHome})`
          : '';
      throw new SetupError(`initdb failed for ${rel(dataDir)}:\n${(init.stderr || init.stdout).trim()}${hint}`);
    }
  }
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    // A cluster left behind by a run that was killed: stop it so this run owns a fresh one.
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid && isAlive(pid))
      await run(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], asOwner);
  }

  const port = await findFreePort(5433);
  const fd = openSync(logFile, 'a');
  if (owner.uid !== undefined && owner.gid !== undefined) chownSync(logFile, owner.uid, owner.gid);
  const child = spawn(path.join(binDir, 'postgres'), ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', ''], {
    ...owner,
    cwd: pgHome,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ready = await waitUntil(() => isReachable(url), {
    timeoutMs: 30_000,
    abort: () => (child.exitCode !== null ? `postgres exited with code ${child.exitCode}` : null),
  });
  if (!ready.ok) {
    await waitForExit(child, 5000, 'SIGINT');
    throw new SetupError(
      `private PostgreSQL did not start (${ready.reason}). Last lines of ${rel(logFile)}:\n${tailOf(logFile)}`,
    );
  }
  // SIGINT is PostgreSQL's "fast" shutdown: sessions are cut, data is flushed.
  return { url, child, exitSignal: 'SIGINT', stop: () => waitForExit(child, 20_000, 'SIGINT'), dataDir };
}

/** True when the server vacuums and analyses its tables by itself, as every production server does. */
async function hasAutovacuum(url: string): Promise<boolean> {
  try {
    return (await sqlValue(url, 'show autovacuum')) === 'on';
  } catch {
    return false;
  }
}

/**
 * A PostgreSQL admin URL: PG_ADMIN_URL (or the default) when it answers, else a private cluster
 * from installed binaries, else one after `apt-get install postgresql` when we are root.
 * `maintained` (the benchmarks): a reachable server with autovacuum off is passed over for a
 * private cluster with PostgreSQL's defaults, so tables that churn (outboxes, pending orders) are
 * vacuumed as in production instead of growing dead rows for the whole run.
 * Returns { url, private, stop() }; stop() ends a private cluster and does nothing otherwise.
 */
export async function ensurePostgresOnce({ maintained = false }: { maintained?: boolean } = {}): Promise<ServerHandle> {
  const wanted = process.env.PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL;
  const reachable = await isReachable(wanted);
  if (reachable && (!maintained || (await hasAutovacuum(wanted))))
    return { url: wanted, private: false, stop: async () => {}, detail: `using ${redactUrl(wanted)}` };
  const passedOver = reachable ? `${redactUrl(wanted)} runs with autovacuum off; ` : '';

  let binDir = findPgBinDir();
  if (!binDir && canUseApt()) {
    await ensureApt(['postgresql'], { why: 'PostgreSQL is needed' });
    // The package may have started its own cluster on the default port.
    if (await isReachable(wanted))
      return { url: wanted, private: false, stop: async () => {}, detail: `using ${redactUrl(wanted)}` };
    binDir = findPgBinDir();
  }
  if (!binDir) {
    throw new SetupError(
      `PostgreSQL is not reachable at ${redactUrl(wanted)} and no PostgreSQL binaries were found.\n` +
        'Install them (a private cluster is then started in .local/pg) with:\n  sudo apt-get install -y postgresql\n' +
        'or point PG_ADMIN_URL at a server you can use.',
    );
  }
  const { dataDir, ...cluster } = await startPrivateCluster(binDir);
  return {
    ...cluster,
    private: true,
    detail: `${passedOver}private cluster on ${redactUrl(cluster.url)}, data in ${rel(dataDir)}`,
  };
}
