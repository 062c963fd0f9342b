import { parseConfig, createPool, runMigrations, ConfigError } from '@market/kit';
import { z } from 'zod';
import { passwordProblem, createPasswordHasher } from '../domain/passwords';
import { checkBcryptCost, databaseShape } from '../config';
import { createDb, MIGRATIONS_FOLDER } from '../data/db';
import { upsertAdmin } from '../domain/admin-accounts';

/** Usage: ADMIN_PASSWORD=… node dist/cli/create-admin.js <email> <username> — creates or promotes an admin. */
async function main(): Promise<void> {
  const [email, username] = process.argv.slice(2);
  if (!email || !username || !z.email().safeParse(email).success) {
    throw new Error('usage: ADMIN_PASSWORD=<password> node dist/cli/create-admin.js <email> <username>');
  }
  const config = parseConfig({ ...databaseShape, ADMIN_PASSWORD: z.string() });
  const problems = checkBcryptCost(config.NODE_ENV, config.BCRYPT_COST);
  const problem = passwordProblem(config.ADMIN_PASSWORD);
  if (problem) problems.push(`ADMIN_PASSWORD: ${problem}`);
  if (problems.length > 0) throw new ConfigError(problems);

  const pool = createPool(config, 1);
  try {
    await runMigrations(config.DATABASE_MIGRATION_URL ?? pool, MIGRATIONS_FOLDER);
    const result = await upsertAdmin(
      { db: createDb(pool), passwords: createPasswordHasher(config.BCRYPT_COST) },
      { email, username, password: config.ADMIN_PASSWORD },
    );
    process.stdout.write(`admin ${email.toLowerCase()} (${result.id}): ${result.outcome}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`create-admin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
