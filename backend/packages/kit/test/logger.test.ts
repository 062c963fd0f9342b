import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { createPool } from '@market/kit';
import { captureLogs, createTestDatabase, eventually, type TestDatabase } from '@market/kit/testing';
import type { Pool } from 'pg';

const HASH = '$2b$12$abcdefghijklmnopqrstuuSecretHashThatMustNeverBeLogged';

describe('error serializer', () => {
  let database: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    database = await createTestDatabase('kit');
    pool = createPool(database.url, 2);
    await pool.query(
      'CREATE TABLE accounts (password_hash text NOT NULL, email text NOT NULL CHECK (email = lower(email)))',
    );
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  async function failure(run: () => Promise<unknown>): Promise<unknown> {
    try {
      await run();
    } catch (error) {
      return error;
    }
    throw new Error('expected the statement to fail');
  }

  it('when a drizzle statement breaks a constraint, then the log line names the constraint but holds neither the parameters nor the row', async () => {
    const db = drizzle(pool);
    const error = await failure(() =>
      db.execute(sql`INSERT INTO accounts (password_hash, email) VALUES (${HASH}, ${'Upper@Example.test'})`),
    );
    const { logger, lines } = captureLogs();

    logger.error({ err: error }, 'request failed');

    expect(lines.join('\n')).toContain('accounts_email_check');
    expect(lines.join('\n')).not.toContain('SecretHash');
  });

  it('when pg itself reports a constraint violation, then the row values in its detail are not logged', async () => {
    const error = await failure(() =>
      pool.query(`INSERT INTO accounts (password_hash, email) VALUES ('${HASH}', 'Upper@Example.test')`),
    );
    const { logger, lines } = captureLogs();

    logger.error({ err: error }, 'request failed');

    expect(lines.join('\n')).toContain('accounts_email_check');
    expect(lines.join('\n')).not.toContain('SecretHash');
  });
});

describe('buffered service logs', () => {
  const fixture = path.join(__dirname, 'support', 'buffered-logging.ts');
  const start = (mode: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, exited, out: () => out };
  };

  it('when the process exits or crashes right after logging, then every line was written first', async () => {
    const exiting = start('exit');
    expect(await exiting.exited).toBe(3);
    expect(exiting.out()).toMatch(/"msg":"first line".*\n.*"msg":"last line"/);
    const crashing = start('fatal');
    expect(await crashing.exited).toBe(1);
    expect(crashing.out()).toContain('"msg":"about to crash"');
  });

  it('when a process logs a line and then stays quiet, then the line appears within about a second', async () => {
    const staying = start('stay');
    try {
      await eventually(async () => (staying.out().includes('"msg":"first line"') ? true : undefined), {
        timeoutMs: 5000,
        what: 'the buffered line written',
      });
    } finally {
      staying.child.kill('SIGKILL');
      await staying.exited;
    }
  });
});
