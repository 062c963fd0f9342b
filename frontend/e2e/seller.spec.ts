import { expect, test, type Page } from '@playwright/test';
import { buyViaApi, createProductViaApi, getProductViaApi, signupViaApi, unique } from './support/api';
import { expectNoAxeViolations } from './support/axe';
import { expectMyProductsTools, expectSalesTools } from './support/seller-tools';
import { signupViaUi } from './support/ui';
import { expectUnsavedEditsGuarded } from './support/unsaved-edits';

async function fillProductForm(
  page: Page,
  values: { name: string; description: string; category: string; price: string; stock: string },
) {
  // Exact: the dashboard's "Search my products by name" may still be on screen while the form's page loads.
  await page.getByLabel('Name', { exact: true }).fill(values.name);
  await page.getByLabel('Description').fill(values.description);
  await page.getByLabel('Category').selectOption(values.category);
  await page.getByLabel('Price in US dollars').fill(values.price);
  await page.getByLabel('Stock', { exact: true }).fill(values.stock);
}

test('when a seller creates and edits a product, then a stale edit shows the conflict and a sale appears in my sales', async ({
  page,
  browser,
}) => {
  await signupViaUi(page, 'seller');
  await expect(page.getByRole('heading', { name: 'My products' })).toBeVisible();
  await expect(page.getByText('You have no products yet.')).toBeVisible();

  // Validation first: an empty form explains every field.
  await page.getByRole('navigation', { name: 'Seller dashboard' }).getByRole('link', { name: 'Add a product' }).click();
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page.getByText('Enter a name.')).toBeVisible();
  await expect(page.getByText('Choose a category.')).toBeVisible();
  await expect(page.getByText(/Enter a price between 0\.01/)).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();

  const name = unique('Walnut board');
  await fillProductForm(page, {
    name,
    description: 'Oiled walnut, 40 cm.',
    category: 'home',
    price: '24.5',
    stock: '3',
  });
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page.getByText(`Created “${name}”.`)).toBeVisible();
  const row = page.getByTestId('my-product-row').filter({ hasText: name });
  await expect(row).toContainText('$24.50');
  await expect(row).toContainText('Listed');

  await row.getByRole('link', { name: `Edit ${name}` }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
  const editUrl = page.url();
  const productId = editUrl.split('/').at(-2) ?? '';
  await page.getByLabel('Price in US dollars').fill('26.00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`Saved “${name}”.`)).toBeVisible();
  await expect(row).toContainText('$26.00');

  // Two tabs edit the same version; the second save must not overwrite the first.
  await page.goto(editUrl);
  const other = await page.context().newPage();
  await other.goto(editUrl);
  await expect(page.getByLabel('Stock', { exact: true })).toHaveValue('3');
  await expect(other.getByLabel('Stock', { exact: true })).toHaveValue('3');
  await other.getByLabel('Stock', { exact: true }).fill('7');
  await other.getByRole('button', { name: 'Save changes' }).click();
  await expect(other.getByText(`Saved “${name}”.`)).toBeVisible();
  await other.close();

  await page.getByLabel('Price in US dollars').fill('27.00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const notice = page.getByTestId('conflict-notice');
  await expect(notice).toContainText('This product changed while you were editing it');
  await expect(notice.getByRole('definition').filter({ hasText: /^7$/ })).toBeVisible();
  await expect(page.getByLabel('Stock', { exact: true })).toHaveValue('7');
  await expect(page.getByLabel('Price in US dollars')).toHaveValue('27.00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`Saved “${name}”.`)).toBeVisible();
  await expect(row).toContainText('$27.00');
  await expect(row.getByRole('cell').nth(1)).toHaveText('7');

  // A buyer's purchase shows up in the seller's sales.
  const buyerContext = await browser.newContext();
  await signupViaApi(buyerContext.request, 'buyer');
  const order = await buyViaApi(buyerContext.request, await getProductViaApi(buyerContext.request, productId), 2);
  expect(order.status).toBe('COMPLETED');
  await buyerContext.close();

  await page.getByRole('link', { name: 'My sales' }).click();
  const sale = page.getByTestId('sale-row').filter({ hasText: name });
  await expect(sale).toContainText('$54.00');
  await expect(sale).toContainText('To ship');
  await expect(sale.getByRole('cell').nth(1)).toHaveText('2');
});

test('when a seller archives a product, then it leaves the catalog but stays in the dashboard', async ({ page }) => {
  await signupViaUi(page, 'seller');
  const name = unique('Old chair');
  await page.getByRole('navigation', { name: 'Seller dashboard' }).getByRole('link', { name: 'Add a product' }).click();
  await fillProductForm(page, { name, description: 'Worn but sturdy.', category: 'home', price: '5', stock: '1' });
  await page.getByRole('button', { name: 'Create product' }).click();
  const row = page.getByTestId('my-product-row').filter({ hasText: name });

  await row.getByRole('button', { name: `Archive ${name}` }).click();
  await row.getByRole('button', { name: `Yes, archive ${name}` }).click();
  await expect(page.getByText(`“${name}” is archived and no longer listed.`)).toBeVisible();
  await expect(row).toContainText('Archived');

  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  await page.getByLabel('Search products').fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText('No products match your search.')).toBeVisible();
});

test('when a seller leaves unsaved product edits by Back or a link, then it asks first; leaving or saving takes one history step', async ({
  page,
}) => {
  await signupViaUi(page, 'seller');
  const product = await createProductViaApi(page.request, { name: unique('Oak stool') });
  await page.reload();
  await expectUnsavedEditsGuarded(page, product);
});

test('when a seller sorts, searches, archives and relists products and totals, filters and exports sales, then each shows what was asked', async ({
  page,
  browser,
}) => {
  await signupViaUi(page, 'seller');
  // A name a spreadsheet would read as a formula: the CSV must keep it as text.
  const cheap = await createProductViaApi(page.request, { name: unique('=1+1 mug'), price: '4.00' });
  const dear = await createProductViaApi(page.request, { name: unique('Brass lamp'), price: '40.00' });
  const buyerContext = await browser.newContext();
  await signupViaApi(buyerContext.request, 'buyer');
  await buyViaApi(buyerContext.request, cheap, 1);
  await buyerContext.close();

  const axe = (what: string) => expectNoAxeViolations(page, what);
  await expectMyProductsTools(page, cheap, dear, axe);
  await expectSalesTools(page, cheap, '$4.00', axe);
});
