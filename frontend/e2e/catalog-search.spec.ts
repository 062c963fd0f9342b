import { expect, test } from '@playwright/test';
import { createProductViaApi, signupViaApi } from './support/api';
import { signupViaUi } from './support/ui';

const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

test('when a buyer types a misspelt word, then matches appear as they type, marked, narrowed by price and stock, and Back undoes each filter', async ({
  page,
  browser,
}) => {
  // A word no other product holds, and the same word missing a letter in its middle. All random, so
  // the words of earlier runs against the same stack share no trigrams with it and stay out of its results.
  const word = letters(12);
  const misspelt = `${word.slice(0, 8)}${word.slice(9)}`;
  const sellerContext = await browser.newContext();
  await signupViaApi(sellerContext.request, 'seller');
  await createProductViaApi(sellerContext.request, {
    name: `${capitalised(word)} fountain pen`,
    category: 'other',
    price: '9.00',
    stock: 3,
  });
  await createProductViaApi(sellerContext.request, {
    name: `${capitalised(word)} ink set`,
    category: 'books',
    price: '40.00',
    stock: 0,
  });
  await sellerContext.close();
  await signupViaUi(page, 'buyer');
  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  const count = page.getByRole('status').filter({ hasText: 'found' });

  await page.getByLabel('Search products').pressSequentially(misspelt, { delay: 40 });

  await expect(count).toHaveText('2 products found.');
  await expect(page).toHaveURL(new RegExp(`[?&]q=${misspelt}(&|$)`));
  await expect(page.locator('.search-corrections')).toHaveText(`Also showing results for ${word}.`);
  const pen = page.getByTestId('product-card').filter({ hasText: 'fountain pen' });
  await expect(pen.locator('mark')).toHaveText(capitalised(word));
  await expect(page.getByRole('option', { name: 'Other (1)' })).toBeAttached();
  await expect(page.getByRole('option', { name: 'Books (1)' })).toBeAttached();

  await page.getByLabel('To', { exact: true }).fill('20');
  await expect(count).toHaveText('1 product found.');
  await expect(page.getByTestId('product-card')).toHaveCount(1);
  await expect(pen).toBeVisible();
  await page.getByRole('checkbox', { name: 'In stock only' }).check();
  await page.getByLabel('To', { exact: true }).fill('');
  await expect(page).not.toHaveURL(/maxPrice/);
  await expect(count).toHaveText('1 product found.');

  await page.goBack();
  await expect(page.getByRole('checkbox', { name: 'In stock only' })).not.toBeChecked();
  await expect(count).toHaveText('1 product found.');
  await page.goBack();
  await expect(page.getByLabel('Search products')).toHaveValue('');
});
