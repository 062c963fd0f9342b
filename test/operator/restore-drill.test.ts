// npm run restore:drill against backup sets made the way the backup role makes them, from a local stack:
// encrypted (marketplace-<stamp>.tar.age: an age-encrypted tar of <service>-db.dump per database,
// manifest and SHA256SUMS) and plain (<dir>/<service>-db/<database>-<stamp>.dump).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mailUrlOf, probeOrder, type ProbedOrder } from '../../scripts/lib/order-probe';
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
let identity: string;
let sold: ProbedOrder;
let soldAfterProductsDump: ProbedOrder;

function pgDump(service: 'auth' | 'products' | 'orders', file: string): void {
  const url = new URL(stack.adminUrl);
  url.pathname = `/${stack.databases[service]}`;
  mkdirSync(path.dirname(file), { recursive: true });
  const result = run(requireTool('pg_dump', 'postgresql-client'), [
    '--format',
    'custom',
    '--dbname',
    url.toString(),
    '--file',
    file,
  ]);
  if (result.code !== 0) throw new Error(`pg_dump ${service}: ${result.output}`);
}

/** A plain set's dump: <dir>/<service>-db/<database>-<stamp>.dump. */
const dump = (service: 'auth' | 'products' | 'orders', stamp: string) =>
  pgDump(service, path.join(backupDir, `${service}-db`, `${stack.databases[service]}-${stamp}.dump`));

/** An encrypted set as marketplace-backup.sh packs it, for the age key in `identity`. */
function encryptedSet(stamp: string): void {
  const work = mkdtempSync(path.join(os.tmpdir(), 'set-'));
  try {
    for (const service of ['auth', 'products', 'orders'] as const)
      pgDump(service, path.join(work, `${service}-db.dump`));
    writeFileSync(path.join(work, 'product-images.tar'), '');
    writeFileSync(path.join(work, 'manifest'), `stamp=${stamp}\n`);
    const recipient = /public key: (age1\w+)/.exec(readFileSync(identity, 'utf8'))![1]!;
    const packed = run('bash', [
      '-c',
      'set -eo pipefail; cd "$0"; sha256sum -- *.dump product-images.tar manifest > SHA256SUMS; tar -cf - . | age --encrypt --recipient "$1" > "$2"',
      work,
      recipient,
      path.join(backupDir, `marketplace-${stamp}.tar.age`),
    ]);
    if (packed.code !== 0) throw new Error(`packing the set: ${packed.output}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
  identity = path.join(mkdtempSync(path.join(os.tmpdir(), 'age-')), 'identity.txt');
  const keygen = run(requireTool('age-keygen', 'age'), ['-o', identity]);
  if (keygen.code !== 0) throw new Error(`age-keygen: ${keygen.output}`);
  stack = await startLocalStack(STACK_PORT, 'bk');
  sold = await probeOrder(stack.url, { mailUrl: mailUrlOf(stack) });
  // An old set whose products dump was taken before an order the orders dump holds as COMPLETED:
  // the databases restored one at a time, products forgets stock that order took.
  dump('products', OLD_STAMP);
  soldAfterProductsDump = await probeOrder(stack.url, { mailUrl: mailUrlOf(stack) });
  dump('auth', OLD_STAMP);
  dump('orders', OLD_STAMP);
  // The newest set, taken at rest and encrypted.
  encryptedSet(NEW_STAMP);
  // A newer run that only got as far as one database is no set.
  writeFileSync(path.join(backupDir, 'orders-db', `${stack.databases.orders}-20990101T031500Z.dump`), 'cut short');
  await stack.stop();
});

afterAll(async () => {
  await stack?.stop();
  if (backupDir) rmSync(backupDir, { recursive: true, force: true });
  if (identity) rmSync(path.dirname(identity), { recursive: true, force: true });
});

describe('restore drill', () => {
  it('when the newest set is encrypted and no identity is given, then the drill refuses before it restores anything', () => {
    const result = drill();
    expect(result.code).toBe(1);
    expect(result.output).toContain('is encrypted: give its age identity file with --identity');
    expect(result.output).not.toContain('restored');
  });

  it('when the newest backup set is drilled with its key, then its data comes back, an order completes through it and the stock agrees', () => {
    const result = drill('--identity', identity);
    expect(result.code === 0 ? '' : result.output).toBe('');
    expect(result.output).toContain(`backup set ${NEW_STAMP} in ${backupDir} (encrypted)`);
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
