import { expect, test } from '@playwright/test';
import { createProductViaApi, unique } from './support/api';
import { PICTURE } from './support/picture';
import { reloadUntilAttached, signupViaUi } from './support/ui';

test('when a seller uploads a picture with its description, then a buyer sees it on the catalog and the product page, served by nginx for a year', async ({
  page,
  browser,
}) => {
  await signupViaUi(page, 'seller');
  const name = unique('Blue tile');
  const product = await createProductViaApi(page.request, { name, category: 'home' });

  await page.goto(`/seller/products/${product.id}/edit`);
  await page
    .getByLabel('Picture', { exact: true })
    .setInputFiles({ name: 'tile.png', mimeType: 'image/png', buffer: PICTURE });
  await page.getByLabel('Description of the picture').fill('A blue ceramic tile');
  await page.getByRole('button', { name: 'Add picture' }).click();
  await expect(page.getByText('Picture added.')).toBeVisible();
  await expect(page.getByRole('img', { name: 'A blue ceramic tile' })).toBeVisible();

  const buyer = await browser.newContext();
  const buyerPage = await buyer.newPage();
  await buyerPage.goto(`/?q=${encodeURIComponent(name)}`);
  const card = buyerPage.getByTestId('product-card').filter({ hasText: name });
  const thumbnail = card.getByRole('img', { name: 'A blue ceramic tile' });
  await expect(thumbnail).toBeVisible();
  await expect(thumbnail).toHaveAttribute('srcset', /\/images\/[a-f0-9]{32}\.webp 48w/);
  await expect(thumbnail).toHaveAttribute('width', '48');
  await expect(thumbnail).toHaveAttribute('height', '32');
  await expect
    .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);

  await card.getByRole('link', { name, exact: true }).click();
  const picture = buyerPage.getByRole('img', { name: 'A blue ceramic tile' });
  // The seller's editor read this product before the upload, and nginx shares such a read.
  await reloadUntilAttached(buyerPage, picture);
  await expect(picture).toBeVisible();
  const src = (await picture.getAttribute('src')) ?? '';
  const file = await buyerPage.request.get(src);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toBe('image/webp');
  expect(file.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  await buyer.close();
});
