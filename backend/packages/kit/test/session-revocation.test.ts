import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createSessionRevocations, createTokenVerifier, VALID_AFTER_KEY_PREFIX } from '@market/kit';
import { captureLogs, generateTestKeys, signTestToken, sleep, testRedisUrl } from '@market/kit/testing';

describe('session revocation (valid-after in Redis)', () => {
  const keys = generateTestKeys();
  const { logger, lines } = captureLogs('revocation-test');
  const clients: Redis[] = [];
  const userIds: string[] = [];
  const connect = async () => {
    const client = new Redis(testRedisUrl(), { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };
  const someone = (role: 'buyer' | 'seller' | 'admin') => {
    const user = { id: randomUUID(), username: `${role}-${userIds.length}`, role };
    userIds.push(user.id);
    return user;
  };
  /** A service's verifier: its own cache of verified tokens and of valid-after values. */
  const service = async (registry?: Registry) => {
    const redis = await connect();
    const revocations = createSessionRevocations({ redis, logger, registry });
    const verify = createTokenVerifier({
      issuer: 'marketplace-auth',
      audience: 'marketplace',
      publicKey: keys.publicKey,
      revocations,
    });
    return { redis, revocations, verify };
  };

  afterAll(async () => {
    const [client] = clients;
    if (client?.status === 'ready') await client.del(...userIds.map((id) => VALID_AFTER_KEY_PREFIX + id));
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  });

  it('when auth revokes a user, then another service refuses the token it had verified within a second, and a token signed right after passes', async () => {
    const auth = await service();
    const products = await service();
    const admin = someone('admin');
    const before = signTestToken(keys, admin);
    expect(await products.verify(before)).toEqual({ ...admin, emailVerified: true });

    await auth.revocations.revokeAccessTokens(admin.id);
    await sleep(2); // a token of the revocation's very millisecond is refused too
    const after = signTestToken(keys, admin);
    await sleep(1000);

    await expect(products.verify(before)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await products.verify(after)).toEqual({ ...admin, emailVerified: true });
    expect(Number(await auth.redis.get(VALID_AFTER_KEY_PREFIX + admin.id))).toBeGreaterThan(0);
    expect(await auth.redis.ttl(VALID_AFTER_KEY_PREFIX + admin.id)).toBeGreaterThan(86_000);
  });

  it('when a token was issued in the same second as the revocation but before it, then it is refused', async () => {
    const { revocations, verify } = await service();
    const buyer = someone('buyer');
    const token = signTestToken(keys, buyer);

    await revocations.revokeAccessTokens(buyer.id);

    await expect(verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when Redis is unreachable, then buyers pass with the last known valid-after, admins are refused with 503, and it is counted', async () => {
    const registry = new Registry();
    const orders = await service(registry);
    const buyer = someone('buyer');
    const admin = someone('admin');
    const revokedToken = signTestToken(keys, buyer);
    await orders.revocations.revokeAccessTokens(buyer.id);
    await sleep(2);
    const freshToken = signTestToken(keys, buyer);
    const adminToken = signTestToken(keys, admin);
    expect(await orders.verify(adminToken)).toEqual({ ...admin, emailVerified: true });

    orders.redis.disconnect();
    await sleep(600);

    await expect(orders.verify(revokedToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await orders.verify(freshToken)).toEqual({ ...buyer, emailVerified: true });
    expect(await orders.verify(signTestToken(keys, someone('seller')))).toMatchObject({ role: 'seller' });
    await expect(orders.verify(adminToken)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/session_revocation_check_unavailable_total\{mode="open"\} 3/);
    expect(metrics).toMatch(/session_revocation_check_unavailable_total\{mode="closed"\} 1/);
    expect(lines.join('\n')).toContain('session revocation check without redis');
  });
});
