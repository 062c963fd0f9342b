import { spawn } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { users } from '../src/data/schema';
import { seedConfiguredAdmin, upsertAdmin } from '../src/domain/admin-accounts';
import { createPasswordHasher } from '../src/domain/passwords';
import { login, newCredentials, signup, startTestApp, type TestApp } from './support/test-app';

const SERVICE_ROOT = path.resolve(__dirname, '..');
const passwords = createPasswordHasher(4);

/** The operator's CLI as its own process (through tsx, so the test runs the current source). */
function createAdmin(
  ctx: TestApp,
  args: string[],
  adminPassword: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/create-admin.ts', ...args], {
    cwd: SERVICE_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: ctx.config.DATABASE_URL,
      BCRYPT_COST: '4',
      ADMIN_PASSWORD: adminPassword,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const accountsWithEmail = (ctx: TestApp, email: string) => ctx.db.select().from(users).where(eq(users.email, email));

describe('admin accounts (operator only)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('when the service starts twice with ADMIN_EMAIL/ADMIN_PASSWORD, then that admin signs in and the second start changes nothing', async () => {
    const { email, password } = newCredentials();
    const deps = { db: ctx.db, passwords, logger: ctx.logger };

    await seedConfiguredAdmin(deps, { ADMIN_EMAIL: email, ADMIN_PASSWORD: password });
    const [before] = await accountsWithEmail(ctx, email);
    await seedConfiguredAdmin(deps, { ADMIN_EMAIL: email, ADMIN_PASSWORD: password });

    const res = await login(ctx.app, email, password);
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
    expect(await accountsWithEmail(ctx, email)).toEqual([before]);
    const seeded = ctx.logs
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'configured admin seeded' && entry.userId === before!.id);
    expect(seeded.map((entry) => entry.outcome)).toEqual(['created', 'unchanged']);
  });

  it('when ADMIN_PASSWORD is not set, then no admin is seeded', async () => {
    const { email } = newCredentials();

    await seedConfiguredAdmin({ db: ctx.db, passwords, logger: ctx.logger }, { ADMIN_EMAIL: email });

    expect(await accountsWithEmail(ctx, email)).toEqual([]);
  });

  it('when the admin email belongs to a buyer, then the account becomes an admin that signs in with the new password', async () => {
    const { credentials, user } = await signup(ctx.app);
    const newPassword = 'operator-chosen-password';

    const result = await upsertAdmin(
      { db: ctx.db, passwords },
      { email: credentials.email.toUpperCase(), username: 'ignored-name', password: newPassword },
    );

    expect(result).toEqual({ id: user.id, outcome: 'updated' });
    expect((await login(ctx.app, credentials.email, credentials.password)).status).toBe(401);
    const res = await login(ctx.app, credentials.email, newPassword);
    expect(res.body).toMatchObject({ id: user.id, username: credentials.username, role: 'admin' });
  });

  it('when two replicas seed the same admin at once, then both succeed and exactly one account exists', async () => {
    const { email, password, username } = newCredentials();

    const results = await Promise.all(
      [0, 1].map(() => upsertAdmin({ db: ctx.db, passwords }, { email, username, password })),
    );

    expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'unchanged']);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await accountsWithEmail(ctx, email)).toHaveLength(1);
  });

  it('when an operator runs create-admin, then the admin signs in, and running it again changes nothing', async () => {
    const { email, password, username } = newCredentials();

    const first = await createAdmin(ctx, [email, username], password);
    const second = await createAdmin(ctx, [email, username], password);

    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/: created\n$/) });
    expect(second).toMatchObject({ code: 0, stdout: expect.stringMatching(/: unchanged\n$/) });
    const res = await login(ctx.app, email, password);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username, role: 'admin' });
  });

  it('when create-admin gets a password that is too short, then it exits 1 naming ADMIN_PASSWORD and creates nothing', async () => {
    const { email, username } = newCredentials();

    const run = await createAdmin(ctx, [email, username], 'short');

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ADMIN_PASSWORD');
    expect(await accountsWithEmail(ctx, email)).toEqual([]);
  });
  describe('when another account already has the admin username', () => {
    let other: TestApp;
    beforeAll(async () => {
      other = await startTestApp();
    });
    afterAll(() => other.close());

    it('when ADMIN_EMAIL changed after the first start, then the next start goes on and says why no admin was seeded', async () => {
      const first = newCredentials();
      const second = newCredentials();
      const deps = { db: other.db, passwords, logger: other.logger };
      await seedConfiguredAdmin(deps, { ADMIN_EMAIL: first.email, ADMIN_PASSWORD: first.password });

      await seedConfiguredAdmin(deps, { ADMIN_EMAIL: second.email, ADMIN_PASSWORD: second.password });

      expect(await accountsWithEmail(other, first.email)).toEqual([
        expect.objectContaining({ username: 'admin', role: 'admin' }),
      ]);
      expect(await accountsWithEmail(other, second.email)).toEqual([]);
      const refused = other.logs.map((line) => JSON.parse(line)).find((entry) => entry.email === second.email);
      expect(refused).toMatchObject({
        msg: 'configured admin not seeded; create it with create-admin',
        reason: expect.stringContaining('admin is taken'),
      });
    });
  });
});
