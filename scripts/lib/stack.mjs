// Brings up the whole system locally: PostgreSQL, Redis, the built services and nginx in front.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deleteRedisKeys, ensureNginx, ensurePostgres, ensureRedis, psql } from './infra.mjs';
import { ensureKeys } from './keys.mjs';
import { findFreePort, httpGet, isPortFree, waitUntil } from './net.mjs';
import { startNginx } from './nginx.mjs';
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
} from './proc.mjs';
import { supervise as superviseChild } from './supervise.mjs';

const SERVICES = [
  { name: 'auth-service', api: 'auth', offset: 1 },
  { name: 'products-service', api: 'products', offset: 2 },
  { name: 'orders-service', api: 'orders', offset: 3 },
];

/**
 * The saga's consumers, each its own process beside its service (same database and streams; the
 * service then runs with RUN_*_WORKER=false), answering /health, /ready and /metrics on its port.
 */
const WORKERS = [
  { name: 'products-worker', service: 'products-service', api: 'products', offset: 4, runFlag: 'RUN_INVENTORY_WORKER' },
  { name: 'orders-worker', service: 'orders-service', api: 'orders', offset: 5, runFlag: 'RUN_ORDERS_WORKER' },
];

/** The demo accounts the services seed when DEMO_MODE=true; passwords may come from the environment. */
export function demoCredentials(env = process.env) {
  return {
    buyer: { email: 'buyer@demo.local', password: env.DEMO_BUYER_PASSWORD || 'demo-buyer-pass' },
    seller: { email: 'seller@demo.local', password: env.DEMO_SELLER_PASSWORD || 'demo-seller-pass' },
    admin: { email: 'admin@demo.local', password: env.ADMIN_PASSWORD || 'demo-admin-pass' },
  };
}

/** 8080 → 3001..3005, 8090 → 3101..3105: each front port gets its own band so stacks run side by side. */
function servicePortsFor(port) {
  const band = port >= 8080 && port < 8080 + 3000 ? 3000 + (port - 8080) * 10 : 3000;
  return Object.fromEntries([
    ...SERVICES.map((s) => [s.api, band + s.offset]),
    ...WORKERS.map((w) => [w.name, band + w.offset]),
  ]);
}

export const databaseNames = (suffix = '') => Object.fromEntries(SERVICES.map((s) => [s.api, `${s.api}${suffix}`]));

export function databaseUrl(adminUrl, db) {
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

export async function createDatabases(adminUrl, names) {
  for (const db of names) {
    const exists = await psql(adminUrl, `select 1 from pg_database where datname = '${db}'`);
    if (!exists.ok) throw new SetupError(`cannot query ${db}: ${exists.err}`);
    if (exists.out === '1') continue;
    const created = await psql(adminUrl, `create database "${db}"`);
    if (!created.ok && !/already exists/.test(created.err))
      throw new SetupError(`cannot create database ${db}: ${created.err}`);
  }
}

export async function dropDatabases(adminUrl, names) {
  for (const db of names) await psql(adminUrl, `drop database if exists "${db}" with (force)`);
}

/** Drops the databases and the stream and rate-limit keys of a throwaway stack started with these suffixes. */
export async function dropStackData(pgUrl, redisUrl, { dbSuffix, streamSuffix }) {
  await dropDatabases(pgUrl, Object.values(databaseNames(dbSuffix)));
  await deleteRedisKeys(redisUrl, {
    patterns: [`orders_stream${streamSuffix}*`, `inventory_stream${streamSuffix}*`, `rl${streamSuffix}:*`],
  });
  if (dbSuffix) rmSync(path.join(repoRoot, '.local', `images${dbSuffix}`), { recursive: true, force: true });
}

function serviceEnv(service, { port, adminUrl, redisUrl, dbs, keys, demo, streamSuffix, credentials, imageDir }) {
  const common = {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl(adminUrl, dbs[service.api]),
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
      BCRYPT_COST: '10',
      COOKIE_SECURE: 'false',
      DEMO_BUYER_PASSWORD: credentials.buyer.password,
      DEMO_SELLER_PASSWORD: credentials.seller.password,
      ADMIN_EMAIL: credentials.admin.email,
      ADMIN_PASSWORD: credentials.admin.password,
      RATE_LIMIT_PREFIX: `rl${streamSuffix}:`,
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
    CONSUMER_NAME: `${service.name}-${process.pid}`,
    ...(process.env.STREAM_BATCH_SIZE ? { STREAM_BATCH_SIZE: process.env.STREAM_BATCH_SIZE } : {}),
    ...(process.env.STREAM_BATCH_WAIT_MS ? { STREAM_BATCH_WAIT_MS: process.env.STREAM_BATCH_WAIT_MS } : {}),
  };
}

// Only what a Node process needs from the caller's environment; the rest is the service's own config.
const baseEnv = () =>
  Object.fromEntries(
    ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]),
  );

const runFileFor = (port) => path.join(repoRoot, '.local', 'run', `stack-${port}.json`);

/** Ends services of an earlier run on the same port that was killed before it could clean up. */
async function stopLeftovers(port) {
  const file = runFileFor(port);
  if (!existsSync(file)) return;
  const { pids = [] } = JSON.parse(readFileSync(file, 'utf8'));
  const alive = pids.filter((pid) => isAlive(pid) && /dist\/(worker-)?start\.js/.test(commandLineOf(pid)));
  for (const pid of alive) killGroup(pid, 'SIGTERM');
  if (alive.length) await waitUntil(async () => alive.every((pid) => !isAlive(pid)), { timeoutMs: 15_000 });
  rmSync(file, { force: true });
}

/** The service's log, the previous run's moved to `.log.1`; a restarted process appends to the current one. */
function openLog(logDir, name, { rotate = true } = {}) {
  mkdirSync(logDir, { recursive: true });
  const file = path.join(logDir, `${name}.log`);
  if (rotate && existsSync(file)) renameSync(file, `${file}.1`);
  return { file, fd: openSync(file, 'a') };
}

/** The built entry of a service or worker. */
const entryOf = (service) =>
  path.join(
    repoRoot,
    'backend',
    service.service ?? service.name,
    'dist',
    service.worker ? 'worker-start.js' : 'start.js',
  );

function startService(service, env, logDir, readyTimeoutMs, nodeArgs = [], { restart = false } = {}) {
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

async function waitReady(svc) {
  let last = 'no answer';
  const ready = await waitUntil(
    async () => {
      const res = await httpGet(`${svc.url}/ready`, 2000);
      last = res.status ? `HTTP ${res.status} ${res.body.slice(0, 200)}` : 'no answer';
      return res.status === 200;
    },
    {
      timeoutMs: svc.readyTimeoutMs,
      intervalMs: 300,
      abort: () =>
        svc.child.exitCode !== null || svc.child.signalCode
          ? `exited (${svc.child.exitCode ?? svc.child.signalCode})`
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
 *   servicePorts ({ auth, products, orders }; default servicePortsFor(port)), loginRate ('10r/m'), loginBurst (5), eventStreams (20),
 *   readyTimeoutMs (120000), onServiceExit(name, code) for a service that dies after start,
 *   cpuProfileDir (none: each service and worker writes a V8 CPU profile there when it stops),
 *   supervise (false: a crash is only reported, so a bench or test fails loudly; true or a backoff { initialMs, maxMs,
 *   resetAfterMs }: `npm start` restarts a service, worker or nginx that dies, see supervise.mjs), logRestart(line).
 * Returns { url, adminUrl, redisUrl, databases, services, nginx, stop() }; stop() ends services and nginx, not PostgreSQL/Redis
 * (stopInfra() in infra.mjs ends private ones).
 */
export async function startStack(options = {}) {
  const {
    port = 8080,
    dbSuffix = '',
    streamSuffix = '',
    demo = true,
    logDir = path.join(repoRoot, '.local', 'logs'),
    build = true,
    loginRate = '10r/m',
    loginBurst = 5,
    eventStreams = 20,
    readyTimeoutMs = 120_000,
    cpuProfileDir,
    onServiceExit = (name, code) =>
      process.stderr.write(`\n! ${name} exited (${code}); see ${rel(path.join(logDir, `${name}.log`))}\n`),
    supervise = false,
    logRestart = (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ↻ ${line}\n`),
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
  await stopLeftovers(port);

  const started = [];
  let stopping = false;
  let live = false; // before this, a service that dies is reported by waitReady with its log
  let nginx;
  let nginxSupervisor;
  const recordPids = () => writeFileSync(runFileFor(port), JSON.stringify({ pids: started.map((s) => s.child.pid) }));
  // nginx first, so nothing new arrives while the services drain; a supervisor also cancels a pending restart.
  const stop = async () => {
    stopping = true;
    await (nginxSupervisor ? nginxSupervisor.stop({ timeoutMs: 10_000 }) : nginx?.stop());
    await Promise.all(
      started.map((svc) => (svc.supervisor ? svc.supervisor.stop() : waitForExit(svc.child, 15_000, 'SIGTERM'))),
    );
    rmSync(runFileFor(port), { force: true });
  };
  const onExit = () => {
    for (const svc of started) if (svc.child.exitCode === null) killGroup(svc.child.pid, 'SIGTERM');
    nginx?.kill();
  };
  process.once('exit', onExit);

  try {
    const preferred = options.servicePorts ?? servicePortsFor(port);
    const credentials = demoCredentials();
    const ports = {};
    const nodeArgs = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
    const launch = async (service, envPort) => {
      const env = serviceEnv(service, {
        port: envPort,
        adminUrl: pg.url,
        redisUrl: redis.url,
        dbs,
        keys,
        demo,
        streamSuffix,
        credentials,
        imageDir,
      });
      const svc = startService(service, env, logDir, readyTimeoutMs, nodeArgs);
      svc.respawn = () => startService(service, env, logDir, readyTimeoutMs, nodeArgs, { restart: true }).child;
      if (!supervise)
        svc.child.once('exit', (code, signal) => live && !stopping && onServiceExit(svc.name, code ?? signal));
      started.push(svc);
      recordPids();
      return svc;
    };
    mkdirSync(path.dirname(runFileFor(port)), { recursive: true });
    const apis = [];
    for (const service of SERVICES) {
      const wanted = preferred[service.api];
      ports[service.api] = (await isPortFree(wanted)) ? wanted : await findFreePort(wanted + 1000);
      if (!existsSync(entryOf(service))) {
        process.stdout.write(
          `• ${service.name} … skipped (${rel(entryOf(service))} is not built; nginx answers 502 for /api/${service.api}/)\n`,
        );
        continue;
      }
      apis.push(await launch(service, ports[service.api]));
    }
    for (const svc of apis) await step(`starting ${svc.name}`, () => waitReady(svc));
    // Workers start once their service has migrated the database.
    for (const worker of WORKERS) {
      if (!apis.some((svc) => svc.api === worker.api) || !existsSync(entryOf({ ...worker, worker: true }))) continue;
      const wanted = preferred[worker.name] ?? servicePortsFor(port)[worker.name];
      const workerPort = (await isPortFree(wanted)) ? wanted : await findFreePort(wanted + 1000);
      const svc = await launch({ ...worker, worker: true }, workerPort);
      await step(`starting ${svc.name}`, () => waitReady(svc));
    }

    const upstreams = Object.fromEntries(Object.entries(ports).map(([api, p]) => [api, `127.0.0.1:${p}`]));
    const startFront = () =>
      startNginx({ bin: nginxBin, port, upstreams, loginRate, loginBurst, eventStreams, imageRoot: imageDir });
    nginx = await step(`starting nginx on port ${port}`, async () => {
      const startedAt = Date.now();
      const handle = await startFront();
      return Object.assign(handle, {
        startedAt,
        detail: `${handle.url}${handle.spaBuilt ? '' : ', SPA not built: placeholder page'}`,
      });
    });
    if (supervise) {
      const backoff = supervise === true ? {} : supervise;
      const logTo = (file) => (line) => logRestart(`${line}; see ${rel(file)}`);
      for (const svc of started) {
        const onSpawn = (child) => {
          svc.child = child;
          recordPids();
        };
        const { name, child, startedAt, respawn } = svc;
        svc.supervisor = superviseChild({ name, child, startedAt, respawn, onSpawn, backoff, log: logTo(svc.logFile) });
      }
      const respawn = async () => (nginx = await startFront()).child;
      const log = logTo(path.join(nginx.prefix, 'logs', 'error.log'));
      nginxSupervisor = superviseChild({
        name: 'nginx',
        child: nginx.child,
        startedAt: nginx.startedAt,
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

  return {
    url: nginx.url,
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
    nginx: { prefix: nginx.prefix, conf: nginx.conf, spaBuilt: nginx.spaBuilt },
    stop: async () => {
      await stop();
      process.removeListener('exit', onExit);
    },
  };
}
