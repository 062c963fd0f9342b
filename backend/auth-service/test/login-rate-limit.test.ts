import { login, newCredentials, randomIp, signup, startTestApp, type TestApp } from './support/test-app';

describe('POST /api/auth/login rate limits', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({
      LOGIN_RATE_LIMIT_PER_ACCOUNT: '5',
      LOGIN_RATE_LIMIT_PER_IP: '8',
      LOGIN_RATE_LIMIT_WINDOW_SECONDS: '600',
    });
  });
  afterAll(() => ctx.close());

  it('when one account fails 5 times from one address, then the next attempt from there, even with the right password, answers 429 with Retry-After', async () => {
    const { credentials } = await signup(ctx.app);
    const ip = randomIp();
    for (let i = 0; i < 5; i += 1)
      expect((await login(ctx.app, credentials.email, 'wrong password', ip)).status).toBe(401);

    const res = await login(ctx.app, credentials.email, credentials.password, ip);

    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('when an account fails 5 times from other addresses, then its owner still signs in from an address without failures', async () => {
    const { credentials } = await signup(ctx.app);
    for (let i = 0; i < 5; i += 1)
      expect((await login(ctx.app, credentials.email, 'wrong password', randomIp())).status).toBe(401);
    const attacker = randomIp();
    for (let i = 0; i < 5; i += 1) await login(ctx.app, credentials.email, 'wrong password', attacker);

    const owner = await login(ctx.app, credentials.email, credentials.password, randomIp());

    expect(owner.status).toBe(200);
    expect((await login(ctx.app, credentials.email, credentials.password, attacker)).status).toBe(429);
  });

  it('when 20 wrong passwords for one account arrive at once from one address, then at most 5 are checked and the rest answer 429', async () => {
    const { credentials } = await signup(ctx.app);
    const ip = randomIp();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => login(ctx.app, credentials.email, 'wrong password', ip)),
    );

    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    expect((await login(ctx.app, credentials.email, credentials.password, ip)).status).toBe(429);
  });

  it('when an unknown email fails 5 times from one address, then it is limited the same way as a real account', async () => {
    const email = newCredentials().email;
    const ip = randomIp();
    for (let i = 0; i < 5; i += 1) await login(ctx.app, email, 'wrong password', ip);

    const res = await login(ctx.app, email, 'wrong password', ip);

    expect(res.status).toBe(429);
  });

  it('when one IP fails 8 times across different accounts, then its next attempt answers 429 while other IPs still sign in', async () => {
    const { credentials } = await signup(ctx.app);
    const ip = randomIp();
    for (let i = 0; i < 8; i += 1)
      expect((await login(ctx.app, newCredentials().email, 'wrong password', ip)).status).toBe(401);

    const blocked = await login(ctx.app, credentials.email, credentials.password, ip);
    const elsewhere = await login(ctx.app, credentials.email, credentials.password, randomIp());

    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(elsewhere.status).toBe(200);
  });

  it('when a login succeeds, then the account counter of that address starts again', async () => {
    const { credentials } = await signup(ctx.app);
    const ip = randomIp();
    for (let i = 0; i < 3; i += 1) await login(ctx.app, credentials.email, 'wrong password', ip);
    expect((await login(ctx.app, credentials.email, credentials.password, ip)).status).toBe(200);

    const afterReset = [];
    for (let i = 0; i < 3; i += 1)
      afterReset.push((await login(ctx.app, credentials.email, 'wrong password', ip)).status);

    // Without the reset the sixth failure would already be refused.
    expect(afterReset).toEqual([401, 401, 401]);
    expect((await login(ctx.app, credentials.email, credentials.password, ip)).status).toBe(200);
  });

  it("when failures come from different addresses of one IPv6 /64, then they share that prefix's budget", async () => {
    const prefix = randomIp().replace(/::1$/, '');
    for (let i = 0; i < 8; i += 1)
      expect(
        (await login(ctx.app, newCredentials().email, 'wrong password', `${prefix}:${i + 1}:0:0:${i + 7}`)).status,
      ).toBe(401);

    const res = await login(ctx.app, newCredentials().email, 'wrong password', `${prefix}::beef`);

    expect(res.status).toBe(429);
  });

  it('when X-Forwarded-For holds text that is not an address, then the attempts count against the connecting peer and the text is not logged', async () => {
    for (let i = 0; i < 8; i += 1) await login(ctx.app, newCredentials().email, 'wrong password', `forged-${i}`);

    const res = await login(ctx.app, newCredentials().email, 'wrong password', 'forged-again');

    expect(res.status).toBe(429);
    expect(ctx.logs.join('\n')).not.toContain('forged-');
  });
});
