import { expect, test } from '@playwright/test';
import { buyViaApi, createProductViaApi, signupViaApi, unique, updateProductViaApi } from './support/api';
import { checkoutToReviewViaUi, signupViaUi } from './support/ui';

test('when another buyer takes the last item while the order is on its way, then it fails and says why', async ({
  page,
  browser,
}) => {
  const sellerContext = await browser.newContext();
  await signupViaApi(sellerContext.request, 'seller');
  const product = await createProductViaApi(sellerContext.request, {
    name: unique('Last lamp'),
    stock: 1,
    price: '30.00',
  });
  await sellerContext.close();
  const rivalContext = await browser.newContext();
  await signupViaApi(rivalContext.request, 'buyer');

  await signupViaUi(page, 'buyer');
  await page.goto(`/products/${product.id}`);
  await page.getByRole('button', { name: /^Add to cart/ }).click();
  await page.getByRole('link', { name: 'Cart (1)' }).click();
  await checkoutToReviewViaUi(page);

  // The review checked the stock a moment ago; the rival's purchase lands before this order reaches the server.
  let rivalStatus: string | undefined;
  await page.route('**/api/orders', async (route) => {
    if (route.request().method() === 'POST') rivalStatus = (await buyViaApi(rivalContext.request, product, 1)).status;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Place order' }).click();

  const status = page.getByTestId('order-status');
  await expect(status).toContainText('Failed');
  expect(rivalStatus).toBe('COMPLETED');
  await expect(status).toContainText('One of the items does not have enough stock left for this order.');
  await expect(page.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
  await rivalContext.close();
});

test('when the seller lowers the stock after the item went into the cart, then the cart shows the change', async ({
  page,
  browser,
}) => {
  const sellerContext = await browser.newContext();
  await signupViaApi(sellerContext.request, 'seller');
  const product = await createProductViaApi(sellerContext.request, { name: unique('Stool'), stock: 4, price: '8.00' });

  await signupViaUi(page, 'buyer');
  await page.goto(`/products/${product.id}`);
  await page.getByLabel('Quantity', { exact: true }).fill('3');
  await page.getByRole('button', { name: /^Add to cart/ }).click();
  await expect(page.getByText('Added. Your cart holds 3 of this product.')).toBeVisible();

  await updateProductViaApi(sellerContext.request, product, { stock: 1, price: '9.00' });
  await sellerContext.close();
  await page.getByRole('link', { name: 'Cart (3)' }).click();

  await expect(
    page.getByText(`Only 1 of ${product.name} can be ordered now, so the quantity went from 3 to 1.`),
  ).toBeVisible();
  await expect(page.getByText(`The price of ${product.name} changed from $8.00 to $9.00.`)).toBeVisible();
  await expect(page.getByLabel(`Quantity of ${product.name}`)).toHaveValue('1');
  await expect(page.getByText('Total: $9.00')).toBeVisible();
});
