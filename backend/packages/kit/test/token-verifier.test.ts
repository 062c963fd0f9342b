import { randomUUID } from 'node:crypto';
import { createTokenVerifier } from '@market/kit';
import { generateTestKeys, signTestToken, sleep } from '@market/kit/testing';

describe('token verifier', () => {
  const keys = generateTestKeys();
  const verify = createTokenVerifier({
    issuer: 'marketplace-auth',
    audience: 'marketplace',
    publicKey: keys.publicKey,
  });
  const user = { id: randomUUID(), username: 'buyer-1', role: 'buyer' as const };

  it('when the same token comes again, then it is answered from the cache with the same user', async () => {
    const token = signTestToken(keys, user);
    const first = await verify(token);
    expect(first).toEqual(user);
    expect(await verify(token)).toBe(first);
  });

  it('when a verified token expires, then it is refused although it was cached', async () => {
    const token = signTestToken(keys, user, { expiresIn: 1 });
    expect(await verify(token)).toEqual(user);
    await sleep(1100);
    await expect(verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when a token fails, then it fails again (a failure is never cached as a success)', async () => {
    const forged = `${signTestToken(keys, user).slice(0, -4)}AAAA`;
    await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
