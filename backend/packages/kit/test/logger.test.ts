import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { createPool } from '@market/kit';
import { captureLogs, createTestDatabase, type TestDatabase } from '@market/kit/testing';
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
