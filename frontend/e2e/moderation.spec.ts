import { expect, test } from '@playwright/test';
import { createProductViaApi, unique } from './support/api';
import { expectNoAxeViolations } from './support/axe';
import { adminCredentials, loginViaUi, signupViaUi } from './support/ui';

test('when an admin unlists a product with a reason, then visitors no longer find it, its seller reads why and only an admin relists it', async ({
  page,
  browser,
  request,
}) => {
  const sellerContext = await browser.newContext();
  const seller = await sellerContext.newPage();
  await signupViaUi(seller, 'seller');
  const product = await createProductViaApi(seller.request, { name: unique('Fake watch') });
  const reason = 'Listings of replica watches are not allowed.';

  await loginViaUi(page, adminCredentials.email, adminCredentials.password);
  await page.goto(`/products/${product.id}`);
  await page.getByRole('button', { name: 'Unlist this product' }).click();
  await expect(page.getByText('Tell the seller why, in at least 3 characters.')).toBeVisible();
  await page.getByLabel('Reason for unlisting (the seller reads it)').fill(reason);
  await page.getByRole('button', { name: 'Unlist this product' }).click();
  await expect(page.getByText('The product is unlisted. Its seller sees your reason.')).toBeVisible();
  await expect(page.getByTestId('moderation-notice')).toContainText(reason);
  await expectNoAxeViolations(page, 'product page, admin moderation');

  // nginx may still hold the active copy for CATALOG_CACHE_SECONDS (10 s by default), never longer.
  await expect
    .poll(async () => (await request.get(`/api/products/${product.id}`)).status(), { timeout: 15_000 })
    .toBe(404);
  const visitor = await browser.newPage();
  await visitor.goto(`/products/${product.id}`);
  await expect(visitor.getByRole('heading', { level: 1, name: 'Product not found' })).toBeVisible();
  await visitor.close();

  await seller.goto('/seller');
  const row = seller.getByTestId('my-product-row').filter({ hasText: product.name });
  await expect(row).toContainText('Unlisted by an admin');
  await expect(row.getByTestId('moderation-reason')).toHaveText(`Reason: ${reason}`);
  await expect(row.getByRole('button', { name: /Relist/ })).toHaveCount(0);
  await expectNoAxeViolations(seller, 'my products with an unlisted product');
  const refused = await sellerContext.request.post(`/api/products/${product.id}/relist`, {
    headers: { 'X-Requested-With': 'marketplace' },
  });
  expect(refused.status()).toBe(403);

  await page.getByRole('button', { name: 'Put back in the catalog' }).click();
  await expect(page.getByText('The product is back in the catalog.')).toBeVisible();
  await seller.reload();
  await expect(row).toContainText('Listed');
  await expect(row.getByTestId('moderation-reason')).toHaveCount(0);
  await sellerContext.close();
});

test('when a seller relists an archived product, then it is listed again', async ({ page }) => {
  await signupViaUi(page, 'seller');
  const product = await createProductViaApi(page.request, { name: unique('Lamp') });
  await page.goto(`/seller?q=${encodeURIComponent(product.name)}`);
  const row = page.getByTestId('my-product-row').filter({ hasText: product.name });

  await row.getByRole('button', { name: `Archive ${product.name}` }).click();
  await row.getByRole('button', { name: `Yes, archive ${product.name}` }).click();
  await expect(row).toContainText('Archived');
  await row.getByRole('button', { name: `Relist ${product.name}` }).click();

  await expect(page.getByText(`“${product.name}” is listed again.`)).toBeVisible();
  await expect(row).toContainText('Listed');
  await expect(page.getByLabel('Search my products by name')).toHaveValue(product.name);
});
