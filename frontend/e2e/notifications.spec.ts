import { expect, test } from '@playwright/test';
import { buyViaApi, createProductViaApi, signupViaApi, unique } from './support/api';
import { countMailTo, waitForMailLink } from './support/mail';
import { signupViaUi } from './support/ui';

test('when a buyer orders, then the confirmation mail arrives with a link to the order and a working unsubscribe link', async ({
  page,
  browser,
}) => {
  const sellerContext = await browser.newContext();
  const seller = await signupViaApi(sellerContext.request, 'seller');
  const product = await createProductViaApi(sellerContext.request, { name: unique('Mailed lamp'), price: '21.00' });
  await sellerContext.close();

  const buyer = await signupViaUi(page, 'buyer');
  const order = await buyViaApi(page.request, product, 1);
  expect(order.status).toBe('COMPLETED');

  // The order mail links to the order page, which the signed-in buyer can open.
  const orderLink = await waitForMailLink(buyer.email, `/orders/${order.id}`);
  await page.goto(orderLink);
  await expect(page.getByTestId('order-status')).toContainText('Confirmed');
  // The seller hears of the sale.
  await waitForMailLink(seller.email, '/seller/sales');

  // The unsubscribe link works without a session: a fresh browser follows it.
  const unsubscribeLink = await waitForMailLink(buyer.email, '/unsubscribe');
  const stranger = await browser.newContext();
  const linkPage = await stranger.newPage();
  await linkPage.goto(unsubscribeLink);
  await linkPage.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(linkPage.getByRole('status')).toContainText('no longer get emails about order updates');
  await stranger.close();

  // The account page shows it off; the next order sends the buyer nothing.
  await page.goto('/account');
  await expect(page.getByRole('checkbox', { name: /Order updates/ })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Sales/ })).toBeChecked();
  const before = await countMailTo(buyer.email);
  const second = await buyViaApi(page.request, product, 1);
  expect(second.status).toBe('COMPLETED');
  await waitForMailLink(seller.email, '/seller/sales', { skip: 1 });
  expect(await countMailTo(buyer.email)).toBe(before);

  // A tampered link is refused.
  const tampered = await browser.newContext();
  const tamperedPage = await tampered.newPage();
  await tamperedPage.goto(unsubscribeLink.replace(/token=[^&]+/, (t) => `${t.slice(0, -2)}xx`));
  await tamperedPage.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(tamperedPage.getByRole('alert')).toContainText('not valid');
  await tampered.close();
});
