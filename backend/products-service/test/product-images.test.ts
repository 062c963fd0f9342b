import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import sharp from 'sharp';
import { jpegClaiming, jpegWithExif, pngOf, upload, type UploadedProduct } from './support/images';
import { as, createProduct, startTestApp, type TestApp } from './support/test-app';

describe('product images', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await startTestApp({ IMAGE_MAX_BYTES: String(512 * 1024), IMAGE_MAX_PIXELS: '4000000' });
  });
  afterAll(() => ctx.close());

  const fileOf = (url: string) => path.join(ctx.imageDir, path.basename(url));

  it('when the seller uploads a photo, then it is stored as WebP thumbnails without its EXIF and the catalog shows it', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);

    const res = await upload(ctx.app, seller, product.id, await jpegWithExif(1600, 1000), { alt: 'A lamp on a desk' });

    expect(res.status).toBe(201);
    const [image] = (res.body as UploadedProduct).images;
    expect(image?.alt).toBe('A lamp on a desk');
    expect(image?.variants.map((v) => [v.width, v.height])).toEqual([
      [320, 200],
      [640, 400],
      [1280, 800],
    ]);
    for (const variant of image!.variants) {
      expect(variant.url).toMatch(/^\/images\/[a-f0-9]{32}\.webp$/);
      const meta = await sharp(await readFile(fileOf(variant.url))).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: variant.width, height: variant.height });
      expect(meta.exif).toBeUndefined();
    }
    const publicRead = await request(ctx.app).get(`/api/products/${product.id}`);
    expect((publicRead.body as UploadedProduct).images).toEqual([image]);
  });

  it('when a product has images, then every catalog page shows them: the list, a one-word search, a filtered or two-word search and another sort', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller, { name: 'Pictured zanzibar teapot', price: '31.00' });
    const uploaded = await upload(ctx.app, seller, product.id, await pngOf(400, 300), { alt: 'A teapot' });
    const { images } = uploaded.body as UploadedProduct;

    const pages = await Promise.all(
      [
        { pageSize: 100 },
        { q: 'zanzibar' },
        { q: 'zanzibar', minPrice: '30' },
        { q: 'zanzibar teapot' },
        { q: 'zanzibar', sort: 'price_asc' },
      ].map((query) => request(ctx.app).get('/api/products').query(query)),
    );

    expect(images).toHaveLength(1);
    for (const page of pages) {
      expect(page.status).toBe(200);
      const shown = (page.body.data as UploadedProduct[]).find((p) => p.id === product.id);
      expect(shown?.images).toEqual(images);
    }
  });

  it('when a PNG narrower than the largest size is uploaded, then it is never enlarged', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);

    const res = await upload(ctx.app, seller, product.id, await pngOf(500, 250), {
      alt: 'Blue square',
      filename: 'x.png',
      contentType: 'image/png',
    });

    expect(res.status).toBe(201);
    expect((res.body as UploadedProduct).images[0]?.variants.map((v) => v.width)).toEqual([320, 500]);
  });

  it('when the file is larger than IMAGE_MAX_BYTES, then 413 names the limit and nothing is stored', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    const big = Buffer.concat([await jpegWithExif(64, 64), Buffer.alloc(600 * 1024, 1)]);

    const res = await upload(ctx.app, seller, product.id, big, { alt: 'Too big' });

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the image is larger than 0.5 MB' } });
    expect((await request(ctx.app).get(`/api/products/${product.id}`)).body).toMatchObject({ images: [] });
  });

  it.each([
    ['a GIF named .jpg', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
    [
      'an SVG named .jpg',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'),
    ],
    ['an HTML page named .jpg', Buffer.from('<!doctype html><html><script>alert(1)</script></html>')],
  ])('when the content is %s, then 415 whatever the name and Content-Type said', async (_name, file) => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);

    const res = await upload(ctx.app, seller, product.id, file, { alt: 'Not an image' });

    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('when a file starts with a JPEG header but holds HTML, then 422 IMAGE_REJECTED', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    const polyglot = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.from('<html><script>alert(1)</script></html>'),
    ]);

    const res = await upload(ctx.app, seller, product.id, polyglot, { alt: 'Polyglot' });

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { code: 'IMAGE_REJECTED' } });
  });

  it('when a valid JPEG carries HTML and a zip after its end, then only re-encoded pixels are stored', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    const tail = Buffer.concat([Buffer.from('<script>alert(1)</script>'), Buffer.from('PK\x03\x04payload', 'latin1')]);

    const res = await upload(ctx.app, seller, product.id, Buffer.concat([await jpegWithExif(400, 300), tail]), {
      alt: 'Carrier',
    });

    expect(res.status).toBe(201);
    for (const variant of (res.body as UploadedProduct).images[0]!.variants) {
      const stored = await readFile(fileOf(variant.url));
      expect(stored.subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect(stored.includes('<script>')).toBe(false);
      expect(stored.includes('PK\x03\x04')).toBe(false);
    }
  });

  it('when a tiny file claims 60000 × 60000 pixels, then 422 before decoding it', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    const bomb = await jpegClaiming(60_000, 60_000);
    expect(bomb.length).toBeLessThan(2000);

    const res = await upload(ctx.app, seller, product.id, bomb, { alt: 'Bomb' });

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { code: 'IMAGE_REJECTED', message: expect.stringContaining('pixels') } });
  });

  it('when the alt text or the file is missing, then 400 names the field', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);

    const noAlt = await upload(ctx.app, seller, product.id, await pngOf(50, 50));
    const blankAlt = await upload(ctx.app, seller, product.id, await pngOf(50, 50), { alt: '   ' });
    const asJson = await as(ctx.app, seller).post(`/api/products/${product.id}/images`, { alt: 'x' });

    expect(noAlt.status).toBe(400);
    expect(noAlt.body).toMatchObject({ error: { details: [{ field: 'alt' }] } });
    expect(blankAlt.status).toBe(400);
    expect(asJson.status).toBe(415);
  });

  it('when another seller or a buyer uploads or deletes, then 403 and the images stay as they were', async () => {
    const owner = ctx.user('seller');
    const product = await createProduct(ctx.app, owner);
    const mine = (await upload(ctx.app, owner, product.id, await pngOf(40, 40), { alt: 'Mine' }))
      .body as UploadedProduct;
    const imageId = mine.images[0]!.id;

    const rival = ctx.user('seller');
    const byRival = await upload(ctx.app, rival, product.id, await pngOf(40, 40), { alt: 'Theirs' });
    const byBuyer = await upload(ctx.app, ctx.user('buyer'), product.id, await pngOf(40, 40), { alt: 'Buyer' });
    const deleteByRival = await as(ctx.app, rival).delete(`/api/products/${product.id}/images/${imageId}`);

    expect([byRival.status, byBuyer.status, deleteByRival.status]).toEqual([403, 403, 403]);
    expect((await request(ctx.app).get(`/api/products/${product.id}`)).body).toMatchObject({
      images: [{ id: imageId, alt: 'Mine' }],
    });
  });

  it('when a product has five images, then a sixth answers 409 TOO_MANY_IMAGES', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    for (let i = 0; i < 5; i++) {
      expect((await upload(ctx.app, seller, product.id, await pngOf(30 + i, 30), { alt: `View ${i}` })).status).toBe(
        201,
      );
    }

    const sixth = await upload(ctx.app, seller, product.id, await pngOf(99, 30), { alt: 'One more' });

    expect(sixth.status).toBe(409);
    expect(sixth.body).toMatchObject({ error: { code: 'TOO_MANY_IMAGES' } });
  });

  it('when the seller reorders, renames and deletes images, then the product shows the new order and the files go', async () => {
    const seller = ctx.user('seller');
    const product = await createProduct(ctx.app, seller);
    await upload(ctx.app, seller, product.id, await pngOf(41, 41), { alt: 'First' });
    const both = (await upload(ctx.app, seller, product.id, await pngOf(42, 42), { alt: 'Second' }))
      .body as UploadedProduct;
    const [first, second] = both.images;

    const arranged = await as(ctx.app, seller).put(`/api/products/${product.id}/images`, {
      images: [
        { id: second!.id, alt: 'Second, now first' },
        { id: first!.id, alt: 'First' },
      ],
    });
    const incomplete = await as(ctx.app, seller).put(`/api/products/${product.id}/images`, {
      images: [{ id: first!.id, alt: 'Only one' }],
    });
    const deleted = await as(ctx.app, seller).delete(`/api/products/${product.id}/images/${second!.id}`);

    expect(arranged.status).toBe(200);
    expect((arranged.body as UploadedProduct).images.map((i) => i.alt)).toEqual(['Second, now first', 'First']);
    expect(incomplete.status).toBe(409);
    expect(deleted.status).toBe(200);
    expect((deleted.body as UploadedProduct).images.map((i) => i.id)).toEqual([first!.id]);
    expect(second!.variants.some((v) => existsSync(fileOf(v.url)))).toBe(false);
    expect(first!.variants.every((v) => existsSync(fileOf(v.url)))).toBe(true);
  });
});
