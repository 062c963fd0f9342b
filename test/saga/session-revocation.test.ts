import { createSessionRevocations, VALID_AFTER_KEY_PREFIX } from '@market/kit';
import { captureLogs, signTestToken, sleep } from '@market/kit/testing';
import { startStack, type Stack, type User } from './support/stack';

/**
 * What auth-service does on disable and on a role change (revokeAccessTokens, tested there through
 * its admin API), seen from the two other services: real processes, the shared Redis.
 */
describe('a revoked access token in products-service and orders-service', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('when an admin is disabled and a seller demoted, then both services refuse their tokens within a second, and a token minted after passes', async () => {
    const admin = stack.user('admin');
    const seller = stack.user('seller');
    const reads = (user: User) => [
      stack.get(`${stack.urls.products}/api/products/mine`, user),
      stack.get(`${stack.urls.orders}/api/orders/all`, user),
      stack.get(`${stack.urls.orders}/api/orders/sales`, user),
    ];
    // Both services have verified (and cached) the tokens before the revocation.
    expect((await Promise.all([...reads(admin), ...reads(seller)])).map((r) => r.status)).toEqual([
      200, 200, 200, 200, 403, 200,
    ]);
    const redis = await stack.redis();
    const auth = createSessionRevocations({ redis, logger: captureLogs('auth-service').logger });

    await Promise.all([auth.revokeAccessTokens(admin.id), auth.revokeAccessTokens(seller.id)]);
    await sleep(1000);

    const refused = await Promise.all([...reads(admin), ...reads(seller)]);
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(refused[0]?.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    const demoted = { ...seller, role: 'buyer' as const };
    const renewed = { ...demoted, cookie: `access_token=${signTestToken(stack.keys, demoted)}` };
    expect((await Promise.all(reads(renewed))).map((r) => r.status)).toEqual([403, 403, 403]);
    await redis.del(VALID_AFTER_KEY_PREFIX + admin.id, VALID_AFTER_KEY_PREFIX + seller.id);
  });
});
