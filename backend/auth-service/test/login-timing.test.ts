import bcrypt from 'bcrypt';
import { login, newCredentials, signup, startTestApp, type TestApp } from './support/test-app';

/**
 * An unknown email must cost the same bcrypt work as a wrong password, or response times tell
 * which emails have accounts. A higher cost than the other tests makes that work measurable;
 * the assertion is a loose floor (half the fastest calibration), not a tight bound, so a busy
 * machine cannot make it flaky, while skipping the comparison (a few ms) still fails it.
 */
describe('POST /api/auth/login timing', () => {
  const COST = 10;
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({ BCRYPT_COST: String(COST) });
  });
  afterAll(() => ctx.close());

  async function elapsed(run: () => Promise<unknown>): Promise<number> {
    const started = process.hrtime.bigint();
    await run();
    return Number(process.hrtime.bigint() - started) / 1e6;
  }

  it('when the email is unknown, then the answer takes at least one bcrypt comparison, like a wrong password', async () => {
    const { credentials } = await signup(ctx.app, newCredentials());
    const hash = await bcrypt.hash('calibration', COST);
    const samples: number[] = [];
    for (let i = 0; i < 3; i += 1) samples.push(await elapsed(() => bcrypt.compare('x', hash)));
    const bcryptMs = Math.min(...samples);
    await login(ctx.app, newCredentials().email, 'warm-up-password'); // the dummy hash is made on first use

    const unknownMs = await elapsed(() => login(ctx.app, newCredentials().email, 'some wrong password'));
    const wrongMs = await elapsed(() => login(ctx.app, credentials.email, 'some wrong password'));

    expect(unknownMs).toBeGreaterThanOrEqual(bcryptMs * 0.5);
    expect(wrongMs).toBeGreaterThanOrEqual(bcryptMs * 0.5);
  });
});
