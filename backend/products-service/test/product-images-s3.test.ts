import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { jpegWithExif, upload, type UploadedProduct } from './support/images';
import { as, createProduct, startTestApp, type TestApp } from './support/test-app';

describe('product images in an S3-compatible bucket (IMAGE_STORE=s3)', () => {
  let s3: S3rver;
  let s3Dir: string;
  let ctx: TestApp;
  let bucketUrl: string;

  beforeAll(async () => {
    s3Dir = await mkdtemp(path.join(tmpdir(), 's3rver-'));
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: 'images' }],
    });
    const { port } = await s3.run();
    bucketUrl = `http://127.0.0.1:${port}/images`;
    ctx = await startTestApp({
      IMAGE_STORE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: 'images',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      IMAGE_PUBLIC_BASE_URL: `${bucketUrl}/`,
    });
  });
  afterAll(async () => {
    await ctx.close();
    await s3.close();
    await rm(s3Dir, { recursive: true, force: true });
  });

  it('when a seller uploads, then each size is an immutable WebP object under the public base URL, gone again after delete', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);

    const res = await upload(ctx.app, seller, product.id, await jpegWithExif(900, 600), { alt: 'From the bucket' });

    expect(res.status).toBe(201);
    const image = (res.body as UploadedProduct).images[0]!;
    expect(image.variants.map((v) => v.width)).toEqual([320, 640, 900]);
    for (const variant of image.variants) {
      expect(variant.url.startsWith(`${bucketUrl}/`)).toBe(true);
      const object = await fetch(variant.url);
      expect(object.status).toBe(200);
      expect(object.headers.get('content-type')).toBe('image/webp');
      expect(object.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const meta = await sharp(Buffer.from(await object.arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: variant.width });
      expect(meta.exif).toBeUndefined();
    }

    const deleted = await as(ctx.app, seller).delete(`/api/products/${product.id}/images/${image.id}`);

    expect(deleted.status).toBe(200);
    expect((await fetch(image.variants[0]!.url)).status).toBe(404);
  });
});
