import { expect, test } from '@playwright/test';
import { buyViaApi, createProductViaApi, shipViaApi, signupViaApi, unique } from './support/api';
import { expectNoAxeViolations } from './support/axe';
import { adminCredentials, loginViaUi } from './support/ui';

test("when the seller ships and the buyer's order page is open, then it shows Shipped without a reload, then Delivered", async ({
  browser,
}) => {
  const sellerContext = await browser.newContext();
  const buyerContext = await browser.newContext();
  try {
    const sellerAccount = await signupViaApi(sellerContext.request, 'seller');
    const product = await createProductViaApi(sellerContext.request, { name: unique('Linen towel'), stock: 4 });
    const buyerAccount = await signupViaApi(buyerContext.request, 'buyer');
    const order = await buyViaApi(buyerContext.request, product, 1);
    const shortId = order.id.slice(0, 8);

    const buyer = await buyerContext.newPage();
    await loginViaUi(buyer, buyerAccount.email, buyerAccount.password);
    await buyer.goto(`/orders/${order.id}`);
    const status = buyer.getByTestId('order-status');
    await expect(status).toContainText('Confirmed');
    await expect(buyer.getByTestId('order-part')).toContainText('Preparing');
    await expect(buyer.getByRole('button', { name: 'Cancel order' })).toBeVisible();
    // A marker on this document: the changes below must arrive without a reload.
    await buyer.evaluate(() => Object.assign(window, { samePage: true }));

    const seller = await sellerContext.newPage();
    await loginViaUi(seller, sellerAccount.email, sellerAccount.password);
    await seller.goto('/seller/sales');
    const sale = seller.getByTestId('sale-row').filter({ hasText: product.name });
    await expect(sale).toContainText('To ship');
    await sale.getByRole('button', { name: 'Ship…' }).click();
    const form = sale.getByRole('form', { name: `Ship order ${shortId}` });
    await expect(form).toBeVisible();
    await expectNoAxeViolations(seller, 'my sales with the ship form open');
    await form.getByLabel('Carrier').fill('DHL');
    await form.getByLabel('Tracking number').fill('JD014600001234');
    await form.getByRole('button', { name: 'Mark as shipped' }).click();
    await expect(sale).toContainText('Shipped');
    await expect(sale).toContainText('DHL, JD014600001234');

    await expect(status).toContainText('Shipped');
    await expect(status).toContainText('Your order is on its way.');
    await expect(buyer.getByTestId('order-part')).toContainText('with DHL, tracking number JD014600001234');
    await expect(buyer.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
    expect(await buyer.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    await expectNoAxeViolations(buyer, 'a shipped order');

    await buyer.getByRole('button', { name: 'I received this' }).click();
    await expect(status).toContainText('Delivered');
    await seller.reload();
    await expect(sale).toContainText('Delivered');
    await expect(sale.getByRole('button')).toHaveCount(0);

    await buyer.goto('/orders');
    await expect(buyer.getByTestId('order-row').filter({ hasText: shortId })).toContainText('Delivered');
  } finally {
    await sellerContext.close();
    await buyerContext.close();
  }
});

test('when the buyer cancels a confirmed order before it ships, then it is cancelled on the page', async ({
  browser,
}) => {
  const sellerContext = await browser.newContext();
  const buyerContext = await browser.newContext();
  try {
    await signupViaApi(sellerContext.request, 'seller');
    const product = await createProductViaApi(sellerContext.request, { name: unique('Clay pot'), stock: 2 });
    const buyerAccount = await signupViaApi(buyerContext.request, 'buyer');
    const order = await buyViaApi(buyerContext.request, product, 1);

    const buyer = await buyerContext.newPage();
    await loginViaUi(buyer, buyerAccount.email, buyerAccount.password);
    await buyer.goto(`/orders/${order.id}`);
    await expect(buyer.getByTestId('order-status')).toContainText('Confirmed');
    await buyer.getByRole('button', { name: 'Cancel order' }).click();
    await buyer.getByRole('button', { name: 'Yes, cancel this order' }).click();
    await expect(buyer.getByTestId('order-status')).toContainText('Cancelled');
    await expect(buyer.getByTestId('order-part')).toHaveCount(0);
  } finally {
    await sellerContext.close();
    await buyerContext.close();
  }
});

test("when an admin watches someone's order as its seller ships it, then the page names the buyer and stays in admin words", async ({
  page,
  browser,
}) => {
  const setup = await browser.newContext();
  const seller = await signupViaApi(setup.request, 'seller');
  const product = await createProductViaApi(setup.request, { name: unique('Wool blanket'), stock: 2 });
  const sellerRequest = setup.request;
  const buyerContext = await browser.newContext();
  const buyer = await signupViaApi(buyerContext.request, 'buyer');
  const order = await buyViaApi(buyerContext.request, product, 1);
  await buyerContext.close();

  await loginViaUi(page, adminCredentials.email, adminCredentials.password);
  await page.goto(`/orders/${order.id}`);
  const status = page.getByTestId('order-status');
  await expect(page.getByTestId('order-buyer')).toHaveText(`Buyer: ${buyer.user.username}`);
  await expect(status).toHaveText('Confirmed Confirmed.');
  await expect(page.getByRole('link', { name: '← All orders' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);

  await shipViaApi(sellerRequest, order.id, seller.user.id);
  await setup.close();
  await expect(status).toHaveText('Shipped Shipped.');
  await expect(page.getByTestId('order-buyer')).toHaveText(`Buyer: ${buyer.user.username}`);
  await expect(page.getByRole('link', { name: '← All orders' })).toBeVisible();
});
