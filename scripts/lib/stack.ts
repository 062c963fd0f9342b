// Brings up the whole system locally: PostgreSQL, Redis, the built services and nginx in front.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dropDatabaseRoles, provisionDatabaseRoles, rolesOf, urlAs } from './db-roles.js';
import { deleteRedisKeys, ensureNginx, ensurePostgres, ensureRedis, sql } from './infra.js';
import { type SigningKeys, ensureKeys } from './keys.js';
import { findFreePort, httpGet, isPortFree, waitUntil } from './net.js';
import { type MailCatcher, startMailCatcher } from './mail-catcher.js';
import { type Nginx, startNginx } from './nginx.js';
import {
  SetupError,
  commandLineOf,
  formatDuration,
  isAlive,
  killGroup,
  rel,
  repoRoot,
  run,
  step,
  tailOf,
  waitForExit,
} from './proc.js';
import { type Backoff, type Supervisor, supervise as superviseChild } from './supervise.js';

type Api = 'auth' | 'products' | 'orders';
/** The owners of a database: the three APIs and the notifications worker. */
type DbOwner = Api | 'notifications';

interface ServiceDef {
  name: string;
  api: Api;
  offset: number;
  /** A worker: the service whose build it runs (worker-start.js). */
  service?: string;
  worker?: boolean;
  runFlag?: string;
  /** Its database, when not its API's. */
  db?: DbOwner;
}

const SERVICES: readonly ServiceDef[] = [
  { name: 'auth-service', api: 'auth', offset: 1 },
  { name: 'products-service', api: 'products', offset: 2 },
  { name: 'orders-service', api: 'orders', offset: 3 },
];

/**
 * The saga's consumers, each its own process beside its service (same database and streams; the
 * service then runs with RUN_*_WORKER=false), answering /health, /ready and /metrics on its port.
 */
const WORKERS: readonly (ServiceDef & { service: string; runFlag: string })[] = [
  { name: 'products-worker', service: 'products-service', api: 'products', offset: 4, runFlag: 'RUN_INVENTORY_WORKER' },
  { name: 'orders-worker', service: 'orders-service', api: 'orders', offset: 5, runFlag: 'RUN_ORDERS_WORKER' },
];

/**
 * The mailer: keeps its copy of the accounts from auth's user events and mails order outcomes and
 * sales from orders' order events, from its own database; started once auth and orders are up.
 */
const NOTIFIER = {
  name: 'notifications-worker',
  service: 'notifications-service',
  api: 'orders',
  offset: 6,
  worker: true,
  db: 'notifications',
} as const satisfies ServiceDef;

/**
 * Signs the unsubscribe links of the local stack's mails (auth checks them, the mailer writes them).
 * A fixed development value: production refuses to start without its own (UNSUBSCRIBE_SECRET).
 */
const LOCAL_UNSUBSCRIBE_SECRET = 'marketplace-local-unsubscribe-secret-not-for-production';

/** The demo accounts the services seed when DEMO_MODE=true; passwords may come from the environment. */
export interface Credentials {
  email: string;
  password: string;
}

export function demoCredentials(env = process.env): Record<'buyer' | 'seller' | 'admin', Credentials> {
  return {
    buyer: { email: 'buyer@demo.local', password: env.DEMO_BUYER_PASSWORD || 'demo-buyer-pass' },
    seller: { email: 'seller@demo.local', password: env.DEMO_SELLER_PASSWORD || 'demo-seller-pass' },
    admin: { email: 'admin@demo.local', password: env.ADMIN_PASSWORD || 'demo-admin-pass' },
  };
}

/** 8080 → 3001..3005, 8090 → 3101..3105: each front port gets its own band so stacks run side by side. */
function servicePortsFor(port: number): Record<string, number> {
  const band = port >= 8080 && port < 8080 + 3000 ? 3000 + (port - 8080) * 10 : 3000;
  return Object.fromEntries([
    ...SERVICES.map((s) => [s.api, band + s.offset]),
    ...WORKERS.map((w) => [w.name, band + w.offset]),
    [NOTIFIER.name, band + NOTIFIER.offset],
  ] as [string, number][]);
}

/** deploy/postgres/roles.sql: each database's migration owner and runtime role, as in compose and Ansible. */
const ROLES_SQL = path.join(repoRoot, 'deploy', 'postgres', 'roles.sql');
/** Local roles' password: ignored by a cluster that trusts local connections, needed by one that does not. */
const LOCAL_ROLE_PASSWORD = 'marketplace-local';

export const databaseNames = (suffix = ''): Record<DbOwner, string> =>
  Object.fromEntries(
    [...SERVICES.map((s) => s.api), NOTIFIER.db].map((owner) => [owner, `${owner}${suffix}`]),
  ) as Record<DbOwner, string>;

export function databaseUrl(adminUrl: string, db: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Database names are checked (a-z, 0-9, _) before they reach SQL, where they cannot be parameters. */
function checkedDbName(db: string): string {
  if (!/^[a-z0-9_]{1,63}$/.test(db)) throw new SetupError(`unsafe database name: ${db}`);
  return db;
}

export async function createDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  for (const db of names.map(checkedDbName)) {
    let exists;
    try {
      exists = await sql(adminUrl, 'select 1 from pg_database where datname = $1', [db]);
    } catch (err) {
      throw new SetupError(`cannot query ${db}: ${messageOf(err)}`);
    }
    if (exists.length) continue;
    try {
      await sql(adminUrl, `create database "${db}"`);
    } catch (err) {
      if (!/already exists/.test(messageOf(err)))
        throw new SetupError(`cannot create database ${db}: ${messageOf(err)}`);
    }
  }
}

export async function dropDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  for (const db of names.map(checkedDbName))
    await sql(adminUrl, `drop database if exists "${db}" with (force)`).catch(() => {});
}

/** Gives each database its owner `<db>_owner` (migrations) and runtime role `<db>_app` (the services: data only). */
async function provisionRoles(adminUrl: string, names: readonly string[]): Promise<void> {
  for (const db of names.map(checkedDbName)) {
    const roles = { ...rolesOf(db), ownerPassword: LOCAL_ROLE_PASSWORD, runtimePassword: LOCAL_ROLE_PASSWORD };
    try {
      await provisionDatabaseRoles(adminUrl, db, roles, ROLES_SQL);
    } catch (err) {
      throw new SetupError(`cannot give ${db} its roles: ${messageOf(err)}`);
    }
  }
}

/** Drops the databases and the stream and rate-limit keys of a throwaway stack started with these suffixes. */
export async function dropStackData(
  pgUrl: string,
  redisUrl: string,
  { dbSuffix, streamSuffix }: { dbSuffix: string; streamSuffix: string },
): Promise<void> {
  await dropDatabases(pgUrl, Object.values(databaseNames(dbSuffix)));
  for (const db of Object.values(databaseNames(dbSuffix))) await dropDatabaseRoles(pgUrl, rolesOf(db)).catch(() => {});
  await deleteRedisKeys(redisUrl, {
    patterns: [
      `orders_stream${streamSuffix}*`,
      `inventory_stream${streamSuffix}*`,
      `order_events_stream${streamSuffix}*`,
      `user_events_stream${streamSuffix}*`,
      `rl${streamSuffix}:*`,
    ],
  });
  if (dbSuffix) rmSync(path.join(repoRoot, '.local', `images${dbSuffix}`), { recursive: true, force: true });
}

interface EnvInputs {
  port: number;
  adminUrl: string;
  redisUrl: string;
  dbs: Record<DbOwner, string>;
  keys: SigningKeys;
  demo: boolean;
  streamSuffix: string;
  credentials: ReturnType<typeof demoCredentials>;
  /** products-service's IMAGE_DIR, served by nginx. */
  imageDir: string;
  authLimits: Partial<Record<AuthLimitKey, number>>;
  /** The mail catcher's SMTP address, or none: the services' default SMTP_URL. */
  smtpUrl: string | undefined;
}

type AuthLimitKey =
  'LOGIN_RATE_LIMIT_PER_IP' | 'LOGIN_RATE_LIMIT_PER_ACCOUNT' | 'SIGNUP_RATE_LIMIT_PER_IP' | 'REFRESH_RATE_LIMIT_PER_IP';

function serviceEnv(
  service: ServiceDef,
  { port, adminUrl, redisUrl, dbs, keys, demo, streamSuffix, credentials, imageDir, authLimits, smtpUrl }: EnvInputs,
  frontPort: number,
): Record<string, string> {
  const db = dbs[service.db ?? service.api];
  const common = {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    // The service reads and writes rows; only the migrations it applies at start may change tables.
    DATABASE_URL: urlAs(databaseUrl(adminUrl, db), rolesOf(db).runtime, LOCAL_ROLE_PASSWORD),
    DATABASE_MIGRATION_URL: urlAs(databaseUrl(adminUrl, db), rolesOf(db).owner, LOCAL_ROLE_PASSWORD),
    REDIS_URL: redisUrl,
    JWT_ISSUER: 'marketplace-auth',
    JWT_AUDIENCE: 'marketplace',
    DEMO_MODE: demo ? 'true' : 'false',
  };
  if (service.api === 'auth') {
    return {
      ...common,
      JWT_PRIVATE_KEY: keys.privatePem,
      JWT_KEY_ID: keys.kid,
      TOTP_ENCRYPTION_KEYS: keys.totpKeys,
      BCRYPT_COST: '10',
      COOKIE_SECURE: 'false',
      DEMO_BUYER_PASSWORD: credentials.buyer.password,
      DEMO_SELLER_PASSWORD: credentials.seller.password,
      ADMIN_EMAIL: credentials.admin.email,
      ADMIN_PASSWORD: credentials.admin.password,
      // The demo admin signs in without TOTP, so the demo and the e2e tests need no authenticator.
      TOTP_EXEMPT_ADMIN_EMAIL: demo ? credentials.admin.email : '',
      RATE_LIMIT_PREFIX: `rl${streamSuffix}:`,
      USER_EVENTS_STREAM: `user_events_stream${streamSuffix}`,
      ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
      MAIL_FROM: 'Marketplace <no-reply@marketplace.local>',
      PUBLIC_BASE_URL: `http://localhost:${frontPort}`,
      UNSUBSCRIBE_SECRET: LOCAL_UNSUBSCRIBE_SECRET,
      ...Object.fromEntries(Object.entries(authLimits).map(([key, value]) => [key, String(value)])),
    };
  }
  if (service.name === NOTIFIER.name) {
    return {
      ...common,
      USER_EVENTS_STREAM: `user_events_stream${streamSuffix}`,
      ORDER_EVENTS_STREAM: `order_events_stream${streamSuffix}`,
      CONSUMER_NAME: `${service.name}-${process.pid}`,
      ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
      MAIL_FROM: 'Marketplace <no-reply@marketplace.local>',
      PUBLIC_BASE_URL: `http://localhost:${frontPort}`,
      UNSUBSCRIBE_SECRET: LOCAL_UNSUBSCRIBE_SECRET,
    };
  }
  return {
    ...common,
    ...(service.worker ? {} : { JWT_PUBLIC_KEY: keys.publicPem }),
    ...(service.api === 'products' && !service.worker ? { IMAGE_DIR: imageDir } : {}),
    // The consumers run as workers of their own (WORKERS), never inside the API process.
    ...Object.fromEntries(WORKERS.filter((w) => w.api === service.api).map((w) => [w.runFlag, 'false'])),
    ORDERS_STREAM: `orders_stream${streamSuffix}`,
    INVENTORY_STREAM: `inventory_stream${streamSuffix}`,
    USER_EVENTS_STREAM: `user_events_stream${streamSuffix}`,
    ORDER_EVENTS_STREAM: `order_events_stream${streamSuffix}`,
    CONSUMER_NAME: `${service.name}-${process.pid}`,
    ...(process.env.STREAM_BATCH_SIZE ? { STREAM_BATCH_SIZE: process.env.STREAM_BATCH_SIZE } : {}),
    ...(process.env.STREAM_BATCH_WAIT_MS ? { STREAM_BATCH_WAIT_MS: process.env.STREAM_BATCH_WAIT_MS } : {}),
    ...(service.api === 'products' && !service.worker && process.env.CATALOG_CACHE_SECONDS
      ? { CATALOG_CACHE_SECONDS: process.env.CATALOG_CACHE_SECONDS }
      : {}),
  };
}

// Only what a Node process needs from the caller's environment; the rest is the service's own config.
const baseEnv = (): Record<string, string> =>
  Object.fromEntries(
    ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'].flatMap((k) => {
      const value = process.env[k];
      return value ? [[k, value]] : [];
    }),
  );

const runFileFor = (port: number): string => path.join(repoRoot, '.local', 'run', `stack-${port}.json`);

/** Ends services of an earlier run on the same port that was killed before it could clean up. */
async function stopLeftovers(port: number): Promise<void> {
  const file = runFileFor(port);
  if (!existsSync(file)) return;
  const { pids = [] } = JSON.parse(readFileSync(file, 'utf8')) as { pids?: number[] };
  const alive = pids.filter(
    (pid) => isAlive(pid) && /dist\/(worker-)?start\.js|maildev\/dist\/bin\/maildev\.js/.test(commandLineOf(pid)),
  );
  for (const pid of alive) killGroup(pid, 'SIGTERM');
  if (alive.length) await waitUntil(async () => alive.every((pid) => !isAlive(pid)), { timeoutMs: 15_000 });
  rmSync(file, { force: true });
}

/** The service's log, the previous run's moved to `.log.1`; a restarted process appends to the current one. */
function openLog(logDir: string, name: string, { rotate = true } = {}): { file: string; fd: number } {
  mkdirSync(logDir, { recursive: true });
  const file = path.join(logDir, `${name}.log`);
  if (rotate && existsSync(file)) renameSync(file, `${file}.1`);
  return { file, fd: openSync(file, 'a') };
}

/** The built entry of a service or worker. */
const entryOf = (service: ServiceDef): string =>
  path.join(
    repoRoot,
    'backend',
    service.service ?? service.name,
    'dist',
    service.worker ? 'worker-start.js' : 'start.js',
  );

interface Started extends ServiceDef {
  port: number;
  url: string;
  logFile: string;
  child: ChildProcess;
  startedAt: number;
  readyTimeoutMs: number;
  respawn?: () => ChildProcess;
  supervisor?: Supervisor;
}

function startService(
  service: ServiceDef,
  env: Record<string, string>,
  logDir: string,
  readyTimeoutMs: number,
  nodeArgs: string[] = [],
  { restart = false } = {},
): Started {
  const log = openLog(logDir, service.name, { rotate: !restart });
  const child = spawn(process.execPath, [...nodeArgs, entryOf(service)], {
    cwd: repoRoot,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', log.fd, log.fd],
    detached: true,
  });
  closeSync(log.fd);
  const base = `http://127.0.0.1:${env.PORT}`;
  return {
    ...service,
    port: Number(env.PORT),
    url: base,
    logFile: log.file,
    child,
    startedAt: Date.now(),
    readyTimeoutMs,
  };
}

async function waitReady(svc: Started): Promise<{ detail: string }> {
  let last = 'no answer';
  const ready = await waitUntil(
    async () => {
      const res = await httpGet(`${svc.url}/ready`, 2000);
      last = res.status ? `HTTP ${res.status} ${(res.body ?? '').slice(0, 200)}` : 'no answer';
      return res.status === 200;
    },
    {
      timeoutMs: svc.readyTimeoutMs,
      intervalMs: 300,
      abort: () =>
        svc.child.exitCode !== null || svc.child.signalCode
          ? `exited (${String(svc.child.exitCode ?? svc.child.signalCode)})`
          : null,
    },
  );
  if (!ready.ok) {
    const why =
      ready.reason === 'timeout'
        ? `was not ready within ${formatDuration(svc.readyTimeoutMs)} (last /ready: ${last})`
        : ready.reason;
    throw new SetupError(`${svc.name} ${why}. Last lines of ${rel(svc.logFile)}:\n${tailOf(svc.logFile, 25)}`);
  }
  return { detail: `${svc.url}` };
}

/**
 * Starts every built service and nginx. Options:
 *   port (8080), dbSuffix (''), streamSuffix (''), demo (true), logDir (.local/logs), build (true: `npm run build` first),
 *   servicePorts ({ auth, products, orders }; default servicePortsFor(port)), loginRate ('10r/m'), loginBurst (5), signupRate ('5r/m'),
 *   signupBurst (5), refreshRate ('60r/m'), refreshBurst (30), eventStreams (20), authLimits (auth-service's *_RATE_LIMIT_* keys
 *   a test or bench stack raises for itself; the defaults of config.ts otherwise),
 *   readyTimeoutMs (120000), onServiceExit(name, code) for a service that dies after start,
 *   cpuProfileDir (none: each service and worker writes a V8 CPU profile there when it stops),
 *   supervise (false: a crash is only reported, so a bench or test fails loudly; true or a backoff { initialMs, maxMs,
 *   resetAfterMs }: `npm start` restarts a service, worker or nginx that dies, see supervise.ts), logRestart(line),
 *   mailCatcher (true: MailDev on loopback receives every mail the services send, see mail-catcher.ts).
 * Returns { url, adminUrl, redisUrl, databases, services, nginx, mail, stop() }; stop() ends services and nginx, not PostgreSQL/Redis
 * (stopInfra() in infra.ts ends private ones).
 */
export interface StackOptions {
  port?: number;
  dbSuffix?: string;
  streamSuffix?: string;
  demo?: boolean;
  logDir?: string;
  build?: boolean;
  servicePorts?: Record<string, number>;
  loginRate?: string;
  loginBurst?: number;
  signupRate?: string;
  signupBurst?: number;
  refreshRate?: string;
  refreshBurst?: number;
  authLimits?: Partial<Record<AuthLimitKey, number>>;
  eventStreams?: number;
  readyTimeoutMs?: number;
  cpuProfileDir?: string;
  onServiceExit?: (name: string, code: number | NodeJS.Signals | null) => void;
  supervise?: boolean | Partial<Backoff>;
  logRestart?: (line: string) => void;
  mailCatcher?: boolean;
}

export interface StackService {
  name: string;
  api: Api;
  worker: boolean;
  /** The API's name (auth, products, orders) or the worker's. */
  group: string;
  port: number;
  url: string;
  logFile: string;
  readonly pid: number | undefined;
}

export interface Stack {
  url: string;
  adminUrl: string;
  redisUrl: string;
  databases: Record<Api, string>;
  services: StackService[];
  nginx: { prefix: string; conf: string; spaBuilt: boolean };
  /** The mail catcher: the services' SMTP server and its web inbox (REST API under /api/email). */
  mail: { smtpUrl: string; webUrl: string } | undefined;
  stop: () => Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const {
    port = 8080,
    dbSuffix = '',
    streamSuffix = '',
    demo = true,
    logDir = path.join(repoRoot, '.local', 'logs'),
    build = true,
    loginRate = '10r/m',
    loginBurst = 5,
    signupRate = '5r/m',
    signupBurst = 5,
    refreshRate = '60r/m',
    refreshBurst = 30,
    authLimits = {},
    eventStreams = 20,
    readyTimeoutMs = 120_000,
    cpuProfileDir,
    onServiceExit = (name, code) =>
      process.stderr.write(`\n! ${name} exited (${String(code)}); see ${rel(path.join(logDir, `${name}.log`))}\n`),
    supervise = false,
    logRestart = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ↻ ${line}\n`),
    mailCatcher = true,
  } = options;
  for (const [key, value] of Object.entries({ dbSuffix, streamSuffix })) {
    if (!/^[a-z0-9_]*$/.test(value)) throw new SetupError(`${key} may hold only a-z, 0-9 and _: ${value}`);
  }
  const pg = await ensurePostgres();
  const redis = await ensureRedis();
  const nginxBin = await ensureNginx();
  const keys = ensureKeys();

  if (build) {
    process.stdout.write('• building (npm run build) …\n');
    const { code } = await run('npm', ['run', 'build']);
    if (code !== 0) throw new SetupError('npm run build failed; see its output above.');
  }

  const dbs = databaseNames(dbSuffix);
  // Uploaded product images: products-service writes them, nginx serves them.
  const imageDir = path.join(repoRoot, '.local', `images${dbSuffix}`);
  await step(`databases ${Object.values(dbs).join(', ')}`, () => createDatabases(pg.url, Object.values(dbs)));
  await step('database roles (owner and runtime)', () => provisionRoles(pg.url, Object.values(dbs)));
  await stopLeftovers(port);

  const started: Started[] = [];
  let stopping = false;
  let live = false; // before this, a service that dies is reported by waitReady with its log
  let nginx: (Nginx & { startedAt: number }) | undefined;
  let nginxSupervisor: Supervisor | undefined;
  let mail: MailCatcher | undefined;
  const recordPids = () =>
    writeFileSync(
      runFileFor(port),
      JSON.stringify({ pids: [...started.map((s) => s.child.pid), ...(mail ? [mail.child.pid] : [])] }),
    );
  // nginx first, so nothing new arrives while the services drain; a supervisor also cancels a pending restart.
  const stop = async () => {
    stopping = true;
    await (nginxSupervisor ? nginxSupervisor.stop({ timeoutMs: 10_000 }) : nginx?.stop());
    await Promise.all(
      started.map((svc) => (svc.supervisor ? svc.supervisor.stop() : waitForExit(svc.child, 15_000, 'SIGTERM'))),
    );
    await mail?.stop();
    rmSync(runFileFor(port), { force: true });
  };
  const onExit = () => {
    for (const svc of started) if (svc.child.exitCode === null) killGroup(svc.child.pid, 'SIGTERM');
    if (mail?.child.exitCode === null) killGroup(mail.child.pid, 'SIGTERM');
    nginx?.kill();
  };
  process.once('exit', onExit);

  try {
    const preferred = options.servicePorts ?? servicePortsFor(port);
    const credentials = demoCredentials();
    const ports: Partial<Record<Api, number>> = {};
    const nodeArgs = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
    mkdirSync(path.dirname(runFileFor(port)), { recursive: true });
    if (mailCatcher) {
      mail = await step('starting the mail catcher (MailDev)', async () => {
        const catcher = await startMailCatcher({ frontPort: port, logDir, name: String(port) });
        return Object.assign(catcher, { detail: `inbox ${catcher.webUrl}, SMTP ${catcher.smtpUrl}` });
      });
      recordPids();
    }
    const launch = async (service: ServiceDef, envPort: number): Promise<Started> => {
      const env = serviceEnv(
        service,
        {
          port: envPort,
          adminUrl: pg.url,
          redisUrl: redis.url,
          dbs,
          keys,
          demo,
          streamSuffix,
          credentials,
          imageDir,
          authLimits,
          smtpUrl: mail?.smtpUrl,
        },
        port,
      );
      const svc = startService(service, env, logDir, readyTimeoutMs, nodeArgs);
      svc.respawn = () => startService(service, env, logDir, readyTimeoutMs, nodeArgs, { restart: true }).child;
      if (!supervise)
        svc.child.once('exit', (code, signal) => {
          if (live && !stopping) onServiceExit(svc.name, code ?? signal);
        });
      started.push(svc);
      recordPids();
      return svc;
    };
    mkdirSync(path.dirname(runFileFor(port)), { recursive: true });
    const apis: Started[] = [];
    for (const service of SERVICES) {
      const wanted = preferred[service.api] ?? 3000 + service.offset;
      const apiPort = (await isPortFree(wanted)) ? wanted : await findFreePort(wanted + 1000);
      ports[service.api] = apiPort;
      if (!existsSync(entryOf(service))) {
        process.stdout.write(
          `• ${service.name} … skipped (${rel(entryOf(service))} is not built; nginx answers 502 for /api/${service.api}/)\n`,
        );
        continue;
      }
      apis.push(await launch(service, apiPort));
    }
    for (const svc of apis) await step(`starting ${svc.name}`, () => waitReady(svc));
    // Workers start once their service has migrated the database.
    for (const worker of WORKERS) {
      if (!apis.some((svc) => svc.api === worker.api) || !existsSync(entryOf({ ...worker, worker: true }))) continue;
      const wanted = preferred[worker.name] ?? servicePortsFor(port)[worker.name] ?? 3000 + worker.offset;
      const workerPort = (await isPortFree(wanted)) ? wanted : await findFreePort(wanted + 1000);
      const svc = await launch({ ...worker, worker: true }, workerPort);
      await step(`starting ${svc.name}`, () => waitReady(svc));
    }
    // The mailer reads the streams auth and orders write; it migrates its own database.
    if (
      apis.some((svc) => svc.api === 'auth') &&
      apis.some((svc) => svc.api === 'orders') &&
      existsSync(entryOf(NOTIFIER))
    ) {
      const wanted = preferred[NOTIFIER.name] ?? servicePortsFor(port)[NOTIFIER.name] ?? 3000 + NOTIFIER.offset;
      const notifierPort = (await isPortFree(wanted)) ? wanted : await findFreePort(wanted + 1000);
      const svc = await launch(NOTIFIER, notifierPort);
      await step(`starting ${svc.name}`, () => waitReady(svc));
    }

    const upstreams = Object.fromEntries(
      SERVICES.map((s) => [s.api, `127.0.0.1:${ports[s.api] ?? preferred[s.api] ?? 3000 + s.offset}`]),
    ) as Record<Api, string>;
    const startFront = () =>
      startNginx({
        bin: nginxBin,
        port,
        upstreams,
        loginRate,
        loginBurst,
        signupRate,
        signupBurst,
        refreshRate,
        refreshBurst,
        eventStreams,
        imageRoot: imageDir,
      });
    const front = await step(`starting nginx on port ${port}`, async () => {
      const startedAt = Date.now();
      const handle = await startFront();
      return Object.assign(handle, {
        startedAt,
        detail: `${handle.url}${handle.spaBuilt ? '' : ', SPA not built: placeholder page'}`,
      });
    });
    nginx = front;
    if (supervise) {
      const backoff = supervise === true ? {} : supervise;
      const logTo = (file: string) => (line: string) => logRestart(`${line}; see ${rel(file)}`);
      for (const svc of started) {
        const onSpawn = (child: ChildProcess) => {
          svc.child = child;
          recordPids();
        };
        const { name, child, startedAt, respawn } = svc;
        if (!respawn) continue;
        svc.supervisor = superviseChild({ name, child, startedAt, respawn, onSpawn, backoff, log: logTo(svc.logFile) });
      }
      const respawn = async () => {
        nginx = { ...(await startFront()), startedAt: Date.now() };
        return nginx.child;
      };
      const log = logTo(path.join(front.prefix, 'logs', 'error.log'));
      nginxSupervisor = superviseChild({
        name: 'nginx',
        child: front.child,
        startedAt: front.startedAt,
        respawn,
        backoff,
        log,
      });
    }
  } catch (err) {
    await stop();
    process.removeListener('exit', onExit);
    throw err;
  }
  live = true;
  const front = nginx;
  if (!front) throw new Error('nginx was not started');

  return {
    url: front.url,
    adminUrl: pg.url,
    redisUrl: redis.url,
    databases: dbs,
    // `group` names a process for reports: the API's name (auth, products, orders) or the worker's.
    // `pid` follows a supervised process through its restarts.
    services: started.map((svc) => {
      const { name, api, worker, port: p, url, logFile } = svc;
      return {
        name,
        api,
        worker: Boolean(worker),
        group: worker ? name : api,
        port: p,
        url,
        logFile,
        get pid() {
          return svc.child.pid;
        },
      };
    }),
    nginx: { prefix: front.prefix, conf: front.conf, spaBuilt: front.spaBuilt },
    mail: mail ? { smtpUrl: mail.smtpUrl, webUrl: mail.webUrl } : undefined,
    stop: async () => {
      await stop();
      process.removeListener('exit', onExit);
    },
  };
}
