import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMigratedTestDatabase, testPgAdminUrl, type MigratedTestDatabase } from '@market/kit/testing';
import { MIGRATIONS_FOLDER as AUTH_MIGRATIONS } from '../../backend/auth-service/src/data/db';
import { MIGRATIONS_FOLDER as ORDERS_MIGRATIONS } from '../../backend/orders-service/src/data/db';
import { MIGRATIONS_FOLDER as PRODUCTS_MIGRATIONS } from '../../backend/products-service/src/data/db';
import { repoRoot, requireTool, run } from './support';

// The backup role's scripts, run as the timer and restore.yml run them, against real PostgreSQL
// databases migrated by the services' own migrations, with the real pg_dump, pg_restore, psql, age,
// tar and sha256sum, and a directory standing for the off-host target. No Docker engine runs here,
// so `docker` is a stand-in on PATH that runs what `docker compose exec/run` would run in a
// container directly on this machine (the image path /var/lib/marketplace/images becomes a local
// folder) and records the stops, starts and `up`s it was asked for.
const DOCKER_STAND_IN = `#!/usr/bin/env bash
set -euo pipefail
echo "docker $*" >>"$STAND_IN_LOG"
[[ "$1" == compose ]] || { echo "unexpected: docker $*" >&2; exit 2; }
shift
sub="$1"; shift
local_path() { local a="$1"; printf '%s' "\${a//\\/var\\/lib\\/marketplace\\/images/$STAND_IN_IMAGES}"; }
case "$sub" in
  ps) printf '%s\\n' products-worker orders-worker ;;
  config) printf '%s\\n' nginx auth-service products-service orders-service products-worker orders-worker auth-db products-db orders-db redis ;;
  stop | start | up) ;;
  exec)
    [[ "$1" == -T ]] && shift
    shift # the service
    [[ "$1" == /etc/marketplace/postgres/init-roles.sh || "$1" == nginx ]] && exit 0
    args=(); for a in "$@"; do args+=("$(local_path "$a")"); done
    exec "\${args[@]}" ;;
  run)
    while [[ "$1" == -* ]]; do [[ "$1" == --entrypoint ]] && { shift; entry="$1"; }; shift; done
    shift # the service
    args=(); for a in "$@"; do args+=("$(local_path "$a")"); done
    exec "$entry" "\${args[@]}" ;;
  *) echo "unexpected: docker compose $sub" >&2; exit 2 ;;
esac
`;

interface Fixture {
  dir: string;
  config: string;
  backups: string;
  offsite: string;
  metrics: string;
  images: string;
  identity: string;
  log: string;
  env: NodeJS.ProcessEnv;
}

function makeFixture(databases: Record<'auth' | 'products' | 'orders', MigratedTestDatabase>): Fixture {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backup-'));
  const sub = (name: string) => {
    mkdirSync(path.join(dir, name), { recursive: true });
    return path.join(dir, name);
  };
  const bin = sub('bin');
  writeFileSync(path.join(bin, 'docker'), DOCKER_STAND_IN);
  chmodSync(path.join(bin, 'docker'), 0o755);
  const identity = path.join(dir, 'backup.key');
  expect(run(requireTool('age-keygen', 'age'), ['-o', identity]).code).toBe(0);
  const recipient = run(requireTool('age-keygen', 'age'), ['-y', identity]).stdout.trim();
  writeFileSync(path.join(dir, 'recipients'), `${recipient}\n`);
  const fixture = {
    dir,
    config: path.join(dir, 'backup.env'),
    backups: sub('backups'),
    offsite: path.join(dir, 'offsite'),
    metrics: sub('metrics'),
    images: sub('images'),
    identity,
    log: path.join(dir, 'docker.log'),
    env: {} as NodeJS.ProcessEnv,
  };
  const admin = new URL(testPgAdminUrl());
  fixture.env = {
    PATH: `${bin}:${process.env.PATH}`,
    BACKUP_CONFIG: fixture.config,
    STAND_IN_LOG: fixture.log,
    STAND_IN_IMAGES: fixture.images,
    PGHOST: admin.hostname,
    PGPORT: admin.port || '5432',
    PGPASSWORD: decodeURIComponent(admin.password),
  };
  const user = decodeURIComponent(admin.username) || 'postgres';
  writeConfig(fixture, {
    BACKUP_DIR: fixture.backups,
    BACKUP_PROJECT_DIR: sub('release'),
    BACKUP_RETENTION_DAYS: '14',
    BACKUP_DATABASES: `"auth-db:${user}:${databases.auth.database.name} products-db:${user}:${databases.products.database.name} orders-db:${user}:${databases.orders.database.name}"`,
    BACKUP_AGE_RECIPIENTS_FILE: path.join(dir, 'recipients'),
    BACKUP_TARGET: fixture.offsite,
    BACKUP_METRICS_DIR: fixture.metrics,
  });
  return fixture;
}

function writeConfig(fixture: Fixture, values: Record<string, string>) {
  writeFileSync(
    fixture.config,
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
}

const script = (name: string) => path.join(repoRoot, 'ansible', 'roles', 'backup', 'files', name);
const backup = (f: Fixture) => run('bash', [script('marketplace-backup.sh')], { env: f.env });
const restore = (f: Fixture, set: string) =>
  run('bash', [script('marketplace-restore.sh'), set], { env: { ...f.env, BACKUP_AGE_IDENTITY: f.identity } });
const sets = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((n) => /^marketplace-.*\.tar\.age$/.test(n)) : [];
const metric = (f: Fixture, name: string) =>
  Number(
    readFileSync(path.join(f.metrics, 'marketplace_backup.prom'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith(`${name} `))
      ?.split(' ')[1],
  );

/** An order with its items in the orders database, and the stock products took for it when `reserved`. */
async function placeOrder(
  db: Record<'products' | 'orders', MigratedTestDatabase>,
  status: 'PENDING' | 'COMPLETED',
  items: { productId: string; quantity: number }[],
  reserved = true,
): Promise<string> {
  const id = randomUUID();
  await db.orders.pool.query(
    `INSERT INTO orders (id, buyer_id, status, total, idempotency_key, request_hash, placed_event_id, correlation_id)
     VALUES ($1, $2, $3, $4, $5, 'hash', $6, 'backup-test')`,
    [id, randomUUID(), status, status === 'COMPLETED' ? '10.00' : null, randomUUID(), randomUUID()],
  );
  for (const [line, item] of items.entries()) {
    await db.orders.pool.query(
      `INSERT INTO order_items (order_id, line, product_id, quantity, unit_price) VALUES ($1, $2, $3, $4, '5.00')`,
      [id, line, item.productId, item.quantity],
    );
    if (reserved)
      await db.products.pool.query(
        `INSERT INTO stock_reservations (order_id, product_id, quantity, unit_price) VALUES ($1, $2, $3, '5.00')`,
        [id, item.productId, item.quantity],
      );
  }
  return id;
}

describe('backup and restore', () => {
  let db: Record<'auth' | 'products' | 'orders', MigratedTestDatabase>;
  let fixture: Fixture;

  beforeAll(() => {
    for (const tool of ['age', 'pg_dump', 'pg_restore', 'psql'])
      requireTool(tool, tool.startsWith('p') ? 'postgresql-client' : tool);
  });

  beforeEach(async () => {
    const [auth, products, orders] = await Promise.all([
      createMigratedTestDatabase('ops_backup_auth', AUTH_MIGRATIONS),
      createMigratedTestDatabase('ops_backup_products', PRODUCTS_MIGRATIONS),
      createMigratedTestDatabase('ops_backup_orders', ORDERS_MIGRATIONS),
    ]);
    db = { auth, products, orders };
    fixture = makeFixture(db);
  });

  afterEach(async () => {
    for (const { pool, database } of Object.values(db)) {
      // A restore drops and recreates the databases, so its test ended the pools first.
      if (!pool.ended) await pool.end();
      await database.drop();
    }
    rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('when a set is made and restored, then the three databases and the images are back as they were, newer tables and orders gone', async () => {
    const product = randomUUID();
    const completed = await placeOrder(db, 'COMPLETED', [{ productId: product, quantity: 2 }]);
    await placeOrder(db, 'PENDING', [{ productId: product, quantity: 1 }], false);
    writeFileSync(path.join(fixture.images, 'a.webp'), 'picture a');
    const before = Math.floor(Date.now() / 1000);

    const made = backup(fixture);

    expect(made.code === 0 ? '' : made.output).toBe('');
    const [set] = sets(fixture.backups);
    expect(sets(fixture.offsite)).toEqual([set]);
    const encrypted = readFileSync(path.join(fixture.offsite, set!));
    expect(encrypted.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(encrypted.includes(Buffer.from('picture a'))).toBe(false);
    expect(metric(fixture, 'marketplace_backup_last_run_success')).toBe(1);
    expect(metric(fixture, 'marketplace_backup_last_success_timestamp_seconds')).toBeGreaterThanOrEqual(before);
    // The workers were paused around the dumps, and only then.
    const calls = readFileSync(fixture.log, 'utf8').split('\n');
    const at = (prefix: string) => calls.findIndex((c) => c.startsWith(prefix));
    expect(at('docker compose stop products-worker orders-worker')).toBeLessThan(
      at('docker compose exec -T auth-db pg_dump'),
    );
    expect(at('docker compose start products-worker orders-worker')).toBeGreaterThan(
      at('docker compose exec -T orders-db pg_dump'),
    );

    // After the backup: a newer schema, a later order, other images.
    await db.orders.pool.query('CREATE TABLE newer_than_the_backup (id int)');
    await placeOrder(db, 'COMPLETED', [{ productId: product, quantity: 5 }]);
    rmSync(path.join(fixture.images, 'a.webp'));
    writeFileSync(path.join(fixture.images, 'b.webp'), 'picture b');
    await Promise.all(Object.values(db).map(({ pool }) => pool.end()));
    writeFileSync(fixture.log, '');

    const restored = restore(fixture, path.join(fixture.offsite, set!));

    expect(restored.code === 0 ? '' : restored.output).toBe('');
    expect(restored.stdout).toContain('1 completed order line(s) match; 1 order(s) pending');
    const psql = (database: string, sql: string) =>
      run('psql', ['-At', '-d', database, '-c', sql], {
        env: { ...fixture.env, PGUSER: new URL(testPgAdminUrl()).username || 'postgres' },
      }).stdout.trim();
    expect(psql(db.orders.database.name, "SELECT to_regclass('newer_than_the_backup') IS NULL")).toBe('t');
    expect(
      psql(db.orders.database.name, "SELECT string_agg(id::text, ',') FROM orders WHERE status = 'COMPLETED'"),
    ).toBe(completed);
    expect(psql(db.products.database.name, 'SELECT sum(quantity) FROM stock_reservations')).toBe('2');
    expect(Number(psql(db.auth.database.name, 'SELECT count(*) FROM drizzle.__drizzle_migrations'))).toBeGreaterThan(0);
    expect(readdirSync(fixture.images)).toEqual(['a.webp']);
    const restoreCalls = readFileSync(fixture.log, 'utf8');
    expect(restoreCalls).toContain(
      'docker compose stop auth-service products-service orders-service products-worker orders-worker',
    );
    expect(restoreCalls).toContain('docker compose up --detach --no-build --wait');
  });

  it('when the restored databases disagree (an order completed without the stock taken), then the restore says which and leaves the services stopped', async () => {
    const product = randomUUID();
    const forgotten = await placeOrder(db, 'COMPLETED', [{ productId: product, quantity: 3 }], false);
    expect(backup(fixture).code).toBe(0);
    const [set] = sets(fixture.backups);
    await Promise.all(Object.values(db).map(({ pool }) => pool.end()));
    writeFileSync(fixture.log, '');

    const restored = restore(fixture, path.join(fixture.backups, set!));

    expect(restored.code).toBe(3);
    expect(restored.stderr).toContain(`-${forgotten} ${product} 3`);
    expect(restored.stderr).toContain('the services stay stopped');
    expect(readFileSync(fixture.log, 'utf8')).not.toContain('docker compose up');
  });

  it('when the off-host copy fails, then the run exits non-zero and the metrics say so, keeping the last success', async () => {
    expect(backup(fixture).code).toBe(0);
    const lastSuccess = metric(fixture, 'marketplace_backup_last_success_timestamp_seconds');
    const blocked = path.join(fixture.dir, 'not-a-directory');
    writeFileSync(blocked, '');
    writeConfig(fixture, {
      ...Object.fromEntries(
        readFileSync(fixture.config, 'utf8')
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ),
      BACKUP_TARGET: path.join(blocked, 'offsite'),
    });

    const failed = backup(fixture);

    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('marketplace-backup failed');
    expect(metric(fixture, 'marketplace_backup_last_run_success')).toBe(0);
    expect(metric(fixture, 'marketplace_backup_last_success_timestamp_seconds')).toBe(lastSuccess);
  });
});
