// npm run restore:drill against backup sets made the way the backup role makes them (one custom-format
// pg_dump per database, <dir>/<service>-db/<database>-<stamp>.dump) from a local stack.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeOrder, type ProbedOrder } from '../../scripts/lib/order-probe';
import { requireTool, run } from '../ops/support';
import { repoRoot, startLocalStack, type LocalStack } from './support/local-stack';

// Beside monitoring-live's stack (OPERATOR_STACK_PORT), which may run at the same time.

// A whole stack starts in beforeAll, which may take longer than the root config's 2 minutes on a busy machine.
jest.setTimeout(300_000);
const STACK_PORT = Number(process.env.OPERATOR_STACK_PORT || 8231) + 2;
const DRILL_PORT = STACK_PORT + 1;
const OLD_STAMP = '20200101T031500Z';
const NEW_STAMP = '20260101T031500Z';

let stack: LocalStack;
let backupDir: string;
let sold: ProbedOrder;
let soldAfterProductsDump: ProbedOrder;

function dump(service: 'auth' | 'products' | 'orders', stamp: string): void {
  const database = stack.databases[service];
  const folder = path.join(backupDir, `${service}-db`);
  mkdirSync(folder, { recursive: true });
  const url = new URL(stack.adminUrl);
  url.pathname = `/${database}`;
  const file = path.join(folder, `${database}-${stamp}.dump`);
  const result = run(requireTool('pg_dump', 'postgresql-client'), [
    '--format',
    'custom',
    '--dbname',
    url.toString(),
    '--file',
    file,
  ]);
  if (result.code !== 0) throw new Error(`pg_dump ${database}: ${result.output}`);
}

/** The scratch databases the drills restored into, read from their output. */
const scratch: string[] = [];

const drill = (...args: string[]) => {
  const result = run(
    process.execPath,
    ['scripts/run.mjs', 'restore-drill', '--backup-dir', backupDir, '--port', String(DRILL_PORT), ...args],
    { cwd: repoRoot },
  );
  scratch.push(...[...result.output.matchAll(/restored \S+ into (\S+)/g)].map((m) => m[1]!));
  return result;
};

beforeAll(async () => {
  backupDir = mkdtempSync(path.join(os.tmpdir(), 'backups-'));
  stack = await startLocalStack(STACK_PORT, 'bk');
  sold = await probeOrder(stack.url);
  // An old set whose products dump was taken before an order the orders dump holds as COMPLETED:
  // the databases restored one at a time, products forgets stock that order took.
  dump('products', OLD_STAMP);
  soldAfterProductsDump = await probeOrder(stack.url);
  dump('auth', OLD_STAMP);
  dump('orders', OLD_STAMP);
  // The newest complete set, taken at rest.
  for (const service of ['auth', 'products', 'orders'] as const) dump(service, NEW_STAMP);
  // A newer run that only got as far as one database is no set.
  writeFileSync(path.join(backupDir, 'orders-db', `${stack.databases.orders}-20990101T031500Z.dump`), 'cut short');
  await stack.stop();
});

afterAll(async () => {
  await stack?.stop();
  if (backupDir) rmSync(backupDir, { recursive: true, force: true });
});

describe('restore drill', () => {
  it('when the newest complete backup set is drilled, then its data comes back, an order completes through it and the stock agrees', () => {
    const result = drill();
    expect(result.code === 0 ? '' : result.output).toBe('');
    expect(result.output).toContain(`backup set ${NEW_STAMP}`);
    expect(result.output).toMatch(/order \S+ COMPLETED through http:\/\/127\.0\.0\.1:\d+/);
    // The two orders of the backup and the drill's own, one unit each.
    expect(result.output).toContain('COMPLETED orders (3 units)');
    expect(result.output).toContain('✓ restore drill passed');
  });

  it('when a set whose products dump predates a COMPLETED order is drilled, then it fails naming that order', () => {
    const result = drill('--stamp', OLD_STAMP);
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      `${soldAfterProductsDump.orderId}/${soldAfterProductsDump.productId}: held 0, completed 1`,
    );
    expect(result.output).not.toContain(`${sold.orderId}/`);
    expect(result.output).toContain('✗ restore drill failed');
  });

  it('when the backup folder holds no complete set, then it fails saying what it found', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'backups-'));
    try {
      const result = run(process.execPath, ['scripts/run.mjs', 'restore-drill', '--backup-dir', empty], {
        cwd: repoRoot,
      });
      expect(result.code).toBe(1);
      expect(result.output).toContain('no complete backup set');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('when the drills are over, then their scratch databases are gone', () => {
    expect(scratch).toHaveLength(6);
    const result = run(requireTool('psql', 'postgresql-client'), [
      stack.adminUrl,
      '-Atc',
      `select datname from pg_database where datname in (${scratch.map((db) => `'${db}'`).join(', ')})`,
    ]);
    expect(result.code === 0 ? result.stdout.trim() : result.output).toBe('');
  });
});
