// `npm run restore:drill`: proves a backup restores. Takes the newest complete backup set (or --stamp),
// restores its three dumps into scratch databases, starts the services against them (own port, own
// stream names), places an order end to end through nginx, and checks that the stock products holds
// equals the quantities of the COMPLETED orders. Exits 1 naming what failed; the scratch databases and
// streams are dropped afterwards unless --keep. An encrypted set (marketplace-<stamp>.tar.age) needs its
// age identity (--identity, the private key of vault_backup_age_identity); the unpacked dumps live in a
// temporary folder removed at the end.
//   npm run restore:drill -- --backup-dir /var/backups/marketplace --identity <age key file>
//     [--stamp 20250101T031500Z] [--port 8240] [--keep]
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkStockConsistency } from './lib/consistency.js';
import { describeError, SetupError } from './lib/errors.js';
import { BACKUP_DATABASES, dumpsOf, pickBackupSet, restoreDump, type BackupDatabase } from './lib/backup-set.js';
import { ensurePostgres, ensureRedis } from './lib/infra.js';
import { findFreePort } from './lib/net.js';
import { mailUrlOf, probeOrder } from './lib/order-probe.js';
import { findPgBinDir } from './lib/postgres.js';
import { repoRoot, which } from './lib/proc.js';
import { type Stack, createDatabases, databaseNames, databaseUrl, dropStackData, startStack } from './lib/stack.js';

const DEFAULT_BACKUP_DIR = '/var/backups/marketplace';
const API_OF: Record<BackupDatabase, 'auth' | 'products' | 'orders'> = {
  'auth-db': 'auth',
  'products-db': 'products',
  'orders-db': 'orders',
};

const say = (line: string) => process.stdout.write(`${line}\n`);

async function drill(): Promise<boolean> {
  const { values } = parseArgs({
    options: {
      'backup-dir': { type: 'string' },
      stamp: { type: 'string' },
      identity: { type: 'string' },
      port: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const unbuilt = ['auth-service', 'products-service', 'orders-service'].filter(
    (service) => !existsSync(path.join(repoRoot, 'backend', service, 'dist', 'start.js')),
  );
  if (unbuilt.length) throw new SetupError(`${unbuilt.join(', ')} not built: run npm run build first`);
  const dir = path.resolve(values['backup-dir'] ?? DEFAULT_BACKUP_DIR);
  const set = pickBackupSet(dir, values.stamp);
  say(`• backup set ${set.stamp} in ${dir} (${set.kind})`);
  const binDir = findPgBinDir();
  const pgRestore = which('pg_restore') ?? (binDir ? path.join(binDir, 'pg_restore') : null);
  if (!pgRestore) throw new SetupError('pg_restore is not installed (Debian: apt-get install postgresql-client)');

  const id = randomBytes(3).toString('hex');
  const names = { dbSuffix: `_drill_${id}`, streamSuffix: `_drill_${id}` };
  const pg = await ensurePostgres();
  const redis = await ensureRedis();
  const scratch = databaseNames(names.dbSuffix);
  const port = values.port ? Number(values.port) : await findFreePort(8240);
  let stack: Stack | undefined;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'restore-drill-'));
  try {
    const dumps = await dumpsOf(set, { identity: values.identity, workDir });
    await createDatabases(pg.url, Object.values(scratch));
    for (const db of BACKUP_DATABASES) {
      await restoreDump(pgRestore, databaseUrl(pg.url, scratch[API_OF[db]]), dumps[db]);
      say(`• restored ${path.basename(dumps[db])} into ${scratch[API_OF[db]]}`);
    }
    stack = await startStack({
      port,
      ...names,
      build: false,
      logDir: path.join(repoRoot, '.local', 'logs', `drill${names.dbSuffix}`),
    });
    const order = await probeOrder(stack.url, { mailUrl: mailUrlOf(stack) });
    say(`• order ${order.orderId} COMPLETED through ${stack.url} in ${order.ms} ms; stock taken`);
    const report = await checkStockConsistency({
      productsUrl: databaseUrl(pg.url, scratch.products),
      ordersUrl: databaseUrl(pg.url, scratch.orders),
    });
    if (report.mismatches.length) {
      say(`✗ stock held (${report.heldUnits}) differs from COMPLETED orders (${report.completedUnits}):`);
      for (const line of report.mismatches.slice(0, 50)) say(`    ${line}`);
      return false;
    }
    say(`• consistent: stock held for orders = quantities of COMPLETED orders (${report.completedUnits} units)`);
    return true;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await stack?.stop();
    if (values.keep) say(`• kept databases ${Object.values(scratch).join(', ')} and streams *${names.streamSuffix}`);
    else await dropStackData(pg.url, redis.url, names).catch(() => {});
  }
}

try {
  const ok = await drill();
  say(ok ? '✓ restore drill passed' : '✗ restore drill failed');
  process.exit(ok ? 0 : 1);
} catch (err) {
  process.stderr.write(`✗ restore drill failed: ${describeError(err)}\n`);
  process.exit(1);
}
