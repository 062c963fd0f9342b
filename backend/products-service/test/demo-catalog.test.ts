import { readdir } from 'node:fs/promises';
import request from 'supertest';
import { captureLogs } from '@market/kit/testing';
import { diskImageStore } from '../src/data/image-store';
import { seedDemoCatalog } from '../src/domain/demo-catalog';
import type { UploadedProduct } from './support/images';
import { startTestApp, type TestApp } from './support/test-app';

/** The demo products the README promises. */
const DEMO_PRODUCTS = 19;

describe('the demo catalog', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('when it is seeded twice, then every demo product has one generated picture with alt text, stored once', async () => {
    const { logger } = captureLogs();
    const store = diskImageStore(ctx.imageDir);

    const first = await seedDemoCatalog(ctx.db, logger, store);
    const files = (await readdir(ctx.imageDir)).sort();
    const again = await seedDemoCatalog(ctx.db, logger, store);

    expect([first, again]).toEqual([DEMO_PRODUCTS, 0]);
    expect((await readdir(ctx.imageDir)).sort()).toEqual(files);
    const page = (await request(ctx.app).get('/api/products?pageSize=50')).body as { data: UploadedProduct[] };
    expect(page.data).toHaveLength(DEMO_PRODUCTS);
    for (const product of page.data) {
      expect(product.images).toHaveLength(1);
      expect(product.images[0]?.alt).toMatch(/^Illustration for /);
      expect(product.images[0]?.variants.map((v) => [v.width, v.height])).toEqual([
        [320, 240],
        [640, 480],
        [960, 720],
      ]);
    }
    expect(files).toHaveLength(DEMO_PRODUCTS * 3);
  });
});
