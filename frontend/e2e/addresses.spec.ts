import { expect, test } from '@playwright/test';
import { createProductViaApi, signupViaApi, unique } from './support/api';
import { fillAddressViaUi, SHIPPING_ADDRESS, signupViaUi } from './support/ui';

test('when a buyer keeps an address book, then checkout offers the address as edited there, and a later edit leaves the placed order alone', async ({
  page,
  browser,
}) => {
  const sellerContext = await browser.newContext();
  await signupViaApi(sellerContext.request, 'seller');
  const product = await createProductViaApi(sellerContext.request, { name: unique('Kettle'), price: '9.00', stock: 5 });
  await sellerContext.close();
  await signupViaUi(page, 'buyer');

  await page.goto('/account/addresses');
  await expect(page.getByText('You have no saved addresses yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Add an address' }).click();
  await page.getByLabel('Postal code').fill('<b>');
  await page.getByRole('button', { name: 'Add address' }).click();
  await expect(page.getByText('Use only letters, digits, spaces and dashes.')).toBeVisible();
  await expect(page.getByText('Enter the street and house number.')).toBeVisible();
  await fillAddressViaUi(page);
  await expect(page.getByText('Address added.')).toBeVisible();
  const card = page.getByRole('listitem').filter({ hasText: SHIPPING_ADDRESS.line1 });
  const editFlat = async (flat: string) => {
    await card.getByRole('button', { name: /^Edit the address/ }).click();
    await page.getByLabel('Apartment, floor, building (optional)').fill(flat);
    await page.getByRole('button', { name: 'Save address' }).click();
    await expect(card).toContainText(flat);
  };
  await editFlat('Flat 2');

  await page.goto(`/products/${product.id}`);
  await page.getByRole('button', { name: /^Add to cart/ }).click();
  await page.getByRole('link', { name: 'Cart (1)' }).click();
  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByRole('radio', { name: /Flat 2/ })).toBeChecked();
  await page.getByRole('button', { name: 'Continue to review' }).click();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('order-status')).toContainText('Confirmed');
  const orderUrl = page.url();

  await page.goto('/account/addresses');
  await editFlat('Flat 9');
  await page.goto(orderUrl);
  await expect(page.getByText('Flat 2')).toBeVisible();
  await expect(page.getByText('Flat 9')).toHaveCount(0);

  await page.goto('/account/addresses');
  await card.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: `Yes, delete ${SHIPPING_ADDRESS.line1}` }).click();
  await expect(page.getByText('Address deleted.')).toBeVisible();
  await expect(page.getByText('You have no saved addresses yet.')).toBeVisible();
});
