import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { createTokenVerifier } from '@market/kit';
import { captureLogs, generateTestKeys, signTestToken, testRedisUrl } from '@market/kit/testing';
import request from 'supertest';
import { buildApp } from '../src/app';
import { diskImageStore } from '../src/data/image-store';
import { CSRF } from './support/test-app';
import { line, startWorkerHarness, type WorkerHarness } from './support/worker-harness';

describe('a seller edit racing a sale', () => {
  let h: WorkerHarness;
  let redis: Redis;
  const keys = generateTestKeys();
  beforeAll(async () => {
    h = await startWorkerHarness();
    h.startWorker();
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await h.close();
  });

  it('when a sale lands after the seller loaded the product, then the edit based on the old version is refused and the sale stands', async () => {
    const app = buildApp({
      logger: captureLogs().logger,
      pool: h.pool,
      db: h.db,
      redis,
      verify: createTokenVerifier({
        issuer: 'marketplace-auth',
        audience: 'marketplace',
        publicKey: keys.publicKey,
        acceptPlainCookie: true,
      }),
      // This test uploads no image; the store is never written.
      imageStore: diskImageStore(path.join(tmpdir(), 'sale-vs-edit-images')),
      config: {
        IMAGE_PUBLIC_BASE_URL: '/images',
        IMAGE_MAX_BYTES: 1024 * 1024,
        IMAGE_MAX_PIXELS: 1_000_000,
        CATALOG_CACHE_SECONDS: 2,
      },
    });
    const product = await h.addProduct({ stock: 10 });
    const token = signTestToken(keys, { id: product.sellerId, username: 'a-seller', role: 'seller' });
    const loaded = (await request(app).get(`/api/products/${product.id}`)).body as { version: number };
    const order = h.placed({ lines: [line(product, 4)] });
    await h.publish(order);
    await h.waitForReplies(order.order_id);

    const res = await request(app)
      .patch(`/api/products/${product.id}`)
      .set('Cookie', `access_token=${token}`)
      .set(CSRF)
      .send({ version: loaded.version, stock: 10 });

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('VERSION_CONFLICT');
    expect((await request(app).get(`/api/products/${product.id}`)).body).toMatchObject({
      stock: 6,
      version: loaded.version + 1,
    });
  });
});
