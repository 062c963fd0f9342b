import { expect, test, type Page } from '@playwright/test';
import { createProductViaApi, signupViaApi, unique } from './support/api';
import { checkoutToReviewViaUi, loginViaUi, logoutViaUi, SHIPPING_ADDRESS, signupViaUi } from './support/ui';

async function searchCatalog(page: Page, name: string) {
  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  await page.getByLabel('Search products').fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'product found' })).toHaveText('1 product found.');
  return page.getByTestId('product-card').filter({ hasText: name });
}

test('when a buyer signs up, logs in, checks out to an address, buys and cancels, then the order completes live, the seller sees where to ship, and the stock comes back', async ({
  page,
  browser,
}) => {
  const sellerContext = await browser.newContext();
  const seller = await signupViaApi(sellerContext.request, 'seller');
  const product = await createProductViaApi(sellerContext.request, {
    name: unique('Teapot'),
    price: '12.50',
    stock: 5,
  });

  const account = await signupViaUi(page, 'buyer');
  await logoutViaUi(page);
  await loginViaUi(page, account.email, account.password);

  const card = await searchCatalog(page, product.name);
  await expect(card.getByText('5 in stock')).toBeVisible();
  await card.getByRole('link', { name: product.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: product.name })).toBeVisible();
  await page.getByLabel('Quantity', { exact: true }).fill('2');
  await page.getByRole('button', { name: /^Add to cart/ }).click();
  await expect(page.getByText('Added. Your cart holds 2 of this product.')).toBeVisible();

  await page.getByRole('link', { name: 'Cart (2)' }).click();
  await expect(page.getByRole('row', { name: new RegExp(product.name) })).toContainText('$25.00');
  await checkoutToReviewViaUi(page);
  await expect(page).toHaveURL(/\/checkout\?step=review&address=[0-9a-f-]{36}$/);
  // The review survives a reload: the step and the address are in the URL, the cart in the browser.
  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(product.name) })).toContainText('$25.00');
  await expect(page.getByText('Total: $25.00')).toBeVisible();
  await expect(page.getByText(SHIPPING_ADDRESS.line1)).toBeVisible();
  await page.getByRole('button', { name: 'Place order' }).click();

  // The status must arrive without a reload: a marker set on this document has to survive.
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await page.evaluate(() => Object.assign(window, { samePage: true }));
  const status = page.getByTestId('order-status');
  await expect(status).toContainText('Confirmed');
  await expect(status).toContainText('Your order is confirmed');
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
  await expect(page.getByRole('row', { name: /^Total/ })).toContainText('$25.00');
  await expect(page.getByText(SHIPPING_ADDRESS.line1)).toBeVisible();
  const orderId = page.url().split('/').at(-1) ?? '';

  // The seller sees who gets the order and where it goes, on the line of its product.
  const sellerPage = await sellerContext.newPage();
  await loginViaUi(sellerPage, seller.email, seller.password);
  await sellerPage.goto('/seller/sales');
  const sale = sellerPage.getByTestId('sale-row').filter({ hasText: product.name });
  await expect(sale).toContainText(SHIPPING_ADDRESS.name);
  await expect(sale).toContainText(`${SHIPPING_ADDRESS.postalCode} ${SHIPPING_ADDRESS.city}`);
  await sellerContext.close();
  await expect((await searchCatalog(page, product.name)).getByText('3 in stock')).toBeVisible();

  await page.getByRole('link', { name: 'My orders', exact: true }).click();
  const row = page.getByTestId('order-row').filter({ hasText: orderId.slice(0, 8) });
  await expect(row).toContainText('Confirmed');
  await expect(row).toContainText(`2 × ${product.name}`);
  await row.getByRole('button', { name: `Cancel order ${orderId.slice(0, 8)}` }).click();
  await row.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByText(`Order ${orderId.slice(0, 8)} was cancelled.`)).toBeVisible();
  await expect(row).toContainText('Cancelled');

  // The give-back runs through the saga; the catalog shows it once products-service applied it.
  await expect(async () => {
    const again = await searchCatalog(page, product.name);
    await expect(again.getByText('5 in stock')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
});

test('when the cart is empty or the visitor has no orders, then the pages say what to do', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Cart (0)' }).click();
  await expect(page.getByText('Your cart is empty.')).toBeVisible();

  await signupViaUi(page, 'buyer');
  await page.getByRole('link', { name: 'Cart (0)' }).click();
  await expect(page.getByText('Your cart is empty.')).toBeVisible();
  await page.getByRole('link', { name: 'My orders' }).click();
  await expect(page.getByText('You have not ordered anything yet.')).toBeVisible();
});

test('when a visitor fills a cart and logs in, then the cart joins the account and the same buyer sees it in another browser', async ({
  page,
  browser,
}) => {
  const setup = await browser.newContext();
  await signupViaApi(setup.request, 'seller');
  const product = await createProductViaApi(setup.request, { name: unique('Lantern'), price: '8.00', stock: 5 });
  await setup.clearCookies();
  const buyer = await signupViaApi(setup.request, 'buyer');
  await setup.close();

  await page.goto('/');
  const card = await searchCatalog(page, product.name);
  await card.getByRole('button', { name: `Add to cart ${product.name}` }).click();
  await page.getByRole('link', { name: 'Cart (1)' }).click();
  await page.getByRole('link', { name: 'Log in to place the order' }).click();
  await loginViaUi(page, buyer.email, buyer.password);
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByRole('row', { name: new RegExp(product.name) })).toContainText('$8.00');

  const laptop = await browser.newContext();
  const other = await laptop.newPage();
  await loginViaUi(other, buyer.email, buyer.password);
  await expect(other.getByRole('link', { name: 'Cart (1)' })).toBeVisible();
  await other.getByRole('link', { name: 'Cart (1)' }).click();
  await other.getByLabel(`Quantity of ${product.name}`).fill('3');
  // The first browser sees the change when the buyer comes back to it.
  await expect(async () => {
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect(page.getByRole('link', { name: 'Cart (3)' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await laptop.close();
});
