import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import type { Product } from '../../src/api/contracts';

/** Runs on each state worth checking: axe, and on a phone the screen's width too. */
type Check = (what: string) => Promise<void>;

/** "My products" of a seller with exactly these two products (`cheap` with a name short enough to search): sort,
 * search, archive and relist. */
export async function expectMyProductsTools(page: Page, cheap: Product, dear: Product, check: Check): Promise<void> {
  await page.goto('/seller');
  const rows = page.getByTestId('my-product-row');
  await expect(rows).toHaveCount(2);
  await page.getByLabel('Sort', { exact: true }).selectOption({ label: 'Price, highest first' });
  await expect(page).toHaveURL(/sort=price_desc/);
  await expect(rows.first()).toContainText(dear.name);
  await page.getByLabel('Sort', { exact: true }).selectOption({ label: 'Price, lowest first' });
  await expect(rows.first()).toContainText(cheap.name);

  await page.getByLabel('Search my products by name').fill(cheap.name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(rows).toHaveCount(1);
  const row = rows.filter({ hasText: cheap.name });
  await row.getByRole('button', { name: `Archive ${cheap.name}` }).click();
  await row.getByRole('button', { name: `Yes, archive ${cheap.name}` }).click();
  await expect(row).toContainText('Archived');
  await check('my products, searched and sorted, one archived');
  await row.getByRole('button', { name: `Relist ${cheap.name}` }).click();
  await expect(page.getByText(`“${cheap.name}” is listed again.`)).toBeVisible();
  await expect(row).toContainText('Listed');
}

/** "My sales" of a seller whose one sale today is one `sold` at `revenue` (as shown, "$12.50"). */
export async function expectSalesTools(page: Page, sold: Product, revenue: string, check: Check): Promise<void> {
  await page.goto('/seller/sales');
  const overall = page.getByTestId('sales-overall');
  await expect(overall).toHaveText(`1 order, 1 item, ${revenue} in all.`);
  await page.getByLabel('Totals per').selectOption({ label: 'Month' });
  const month = new Date().toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  await expect(page.getByTestId('sales-total-row')).toHaveText([new RegExp(`^${month}\\s*1\\s*1\\s*\\${revenue}$`)]);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download all sales as CSV' }).click();
  const file = await (await download).path();
  const csv = await readFile(file, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('Date (UTC),Order,Product,Product id,Quantity,Unit price,Subtotal,Status');
  // A name a spreadsheet would run as a formula is kept as text (a leading quote).
  expect(csv).toContain(/^[=+\-@]/.test(sold.name) ? `'${sold.name}` : sold.name);

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('From', { exact: true }).fill(tomorrow);
  await expect(page.getByText('You sold nothing between these dates.')).toBeVisible();
  await expect(overall).toHaveText('0 orders, 0 items, $0.00 in all.');
  await expect(page.getByRole('link', { name: 'Download these sales as CSV' })).toBeVisible();
  await check('sales, none between the dates');
  await page.getByRole('button', { name: 'All dates' }).click();
  await expect(page.getByTestId('sale-row')).toHaveCount(1);
}
