import { me, refresh, setCookies, signup, startTestApp, type TestApp } from './support/test-app';

const rotated = (res: Awaited<ReturnType<typeof refresh>>) => {
  const cookies = setCookies(res);
  return { refresh: cookies.refresh_token?.value ?? '', access: cookies.access_token?.value ?? '' };
};

describe('POST /api/auth/refresh within the reuse grace', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({ REFRESH_REUSE_GRACE_SECONDS: '10' });
  });
  afterAll(() => ctx.close());

  it('when two tabs refresh with the same token at once, then both get a working session and the family lives on', async () => {
    const session = await signup(ctx.app);

    const [first, second] = await Promise.all([refresh(ctx.app, session.refresh), refresh(ctx.app, session.refresh)]);

    expect([first.status, second.status]).toEqual([200, 200]);
    const tabs = [rotated(first), rotated(second)];
    expect(tabs[0]!.refresh).not.toBe(tabs[1]!.refresh);
    for (const tab of tabs) {
      expect((await me(ctx.app, tab.access)).status).toBe(200);
      expect((await refresh(ctx.app, tab.refresh)).status).toBe(200);
    }
    expect(ctx.logs.join('\n')).not.toContain('token family revoked');
  });

  it('when a response was lost and the same token is sent again within the grace, then the answer is a sibling in the same family', async () => {
    const session = await signup(ctx.app);
    const successor = rotated(await refresh(ctx.app, session.refresh));

    const retry = await refresh(ctx.app, session.refresh);

    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(session.user);
    const sibling = rotated(retry);
    expect(sibling.refresh).not.toBe(successor.refresh);
    // Both live in one family: replaying the sibling's predecessor later revokes them together.
    expect((await refresh(ctx.app, successor.refresh)).status).toBe(200);
    expect((await refresh(ctx.app, sibling.refresh)).status).toBe(200);
  });
});

describe('POST /api/auth/refresh after the reuse grace', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({ REFRESH_REUSE_GRACE_SECONDS: '1' });
  });
  afterAll(() => ctx.close());

  it('when a rotated token comes back after the grace, then the family is revoked, the successor included', async () => {
    const session = await signup(ctx.app);
    const successor = rotated(await refresh(ctx.app, session.refresh));

    // A slower machine only makes the gap longer than the grace.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect((await refresh(ctx.app, session.refresh)).status).toBe(401);
    expect((await refresh(ctx.app, successor.refresh)).status).toBe(401);
    expect(ctx.logs.join('\n')).toContain('refresh token presented twice; token family revoked');
  });
});
