import { expect, test, type Page } from '@playwright/test';
import {
  buyViaApi,
  createProductViaApi,
  newAccountDetails,
  saveCartViaApi,
  shipViaApi,
  signupViaApi,
  unique,
} from './support/api';
import { expectNoAxeViolations } from './support/axe';
import { PICTURE } from './support/picture';
import { expectMyProductsTools, expectSalesTools } from './support/seller-tools';
import { totp } from './support/totp';
import { addAddressViaUi, adminCredentials, reloadUntilAttached, verifyViaMail } from './support/ui';
import { expectUnsavedEditsGuarded } from './support/unsaved-edits';

// Runs in the "phone" project only (playwright.config.ts): a 360 × 740 touch screen. Every page visited
// must fit the screen's width (no horizontal scroll) and pass axe.

/**
 * The page is no wider than the screen: nothing (a table, a long name) makes it scroll sideways. The screen's
 * width is the project's, not window.innerWidth: a mobile browser widens its viewport to fit wider content.
 */
async function expectFitsWidth(page: Page, what: string): Promise<void> {
  const screenWidth = page.viewportSize()?.width ?? 0;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${what} is ${scrollWidth}px wide on a ${screenWidth}px screen`).toBeLessThanOrEqual(screenWidth);
}

async function expectUsable(page: Page, what: string): Promise<void> {
  await expectNoAxeViolations(page, what);
  await expectFitsWidth(page, what);
}

async function openMenu(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Menu' });
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
}

/** Follows a link of the header's menu, opening it first; the new page closes it. */
async function goViaMenu(page: Page, name: string | RegExp): Promise<void> {
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect(page.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'false');
}

async function signupOnPhone(page: Page, role: 'buyer' | 'seller'): Promise<void> {
  const details = newAccountDetails(role);
  await page.goto('/signup');
  await page.getByLabel('Username').fill(details.username);
  await page.getByLabel('Email').fill(details.email);
  await page.getByLabel('Password').fill(details.password);
  await page.getByRole('radio', { name: role === 'seller' ? /sell products/i : /buy products/i }).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  // The new account lands on another page; the menu is opened there (a new page closes it).
  await expect(page).not.toHaveURL(/\/signup$/);
  await openMenu(page);
  await expect(page.getByText(`Signed in as ${details.username}`)).toBeVisible();
  await page.keyboard.press('Escape');
  // Ordering and selling need the address verified: with the link of the caught mail, as the user would.
  await verifyViaMail(page, details.email);
}

/** A name with a 100-letter word: it must wrap inside its card, never widen the page. */
const longName = () => `${'Supercalifragilistic'.repeat(5)} ${unique('mug')}`;

test('when anonymous on a phone, then the header folds into a menu and the public pages fit the screen', async ({
  page,
  browser,
}) => {
  const sellerContext = await browser.newContext();
  await signupViaApi(sellerContext.request, 'seller');
  const product = await createProductViaApi(sellerContext.request, { name: longName() });
  await sellerContext.close();

  // The newest product comes first: this one, with its long name, is on the page (once nginx's copy
  // of the page, kept for visitors without a session, is newer than the product).
  await page.goto('/');
  await reloadUntilAttached(page, page.getByRole('link', { name: product.name, exact: true }));
  await expect(page.getByRole('link', { name: product.name, exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Log in', exact: true })).toBeHidden();
  await expectUsable(page, 'catalog with a long product name, menu closed');

  const menuButton = page.getByRole('button', { name: 'Menu' });
  await openMenu(page);
  await expect(page.getByRole('link', { name: 'Log in', exact: true })).toBeVisible();
  await expectUsable(page, 'catalog, menu open');
  await page.getByRole('link', { name: 'Log in', exact: true }).focus();
  await page.keyboard.press('Escape');
  await expect(menuButton).toHaveAttribute('aria-expanded', 'false');
  await expect(menuButton).toBeFocused();
  await expect(page.getByRole('link', { name: 'Log in', exact: true })).toBeHidden();

  await page.getByRole('link', { name: product.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: product.name })).toBeVisible();
  await expectUsable(page, 'product page with a long name');

  await goViaMenu(page, 'Catalog');
  await openMenu(page);
  await page.getByRole('link', { name: 'Log in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expectUsable(page, 'login');

  await page.goto('/signup');
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await expectUsable(page, 'signup');

  await page.goto('/products/00000000-0000-4000-8000-0000000b0a11');
  await expect(page.getByRole('heading', { level: 1, name: 'Product not found' })).toBeVisible();
  await expectUsable(page, 'a broken product link');
  await page.goto('/?page=999');
  await expect(page.getByText('No products on this page.')).toBeVisible();
  await expectUsable(page, 'a page past the last');
  await page.getByRole('link', { name: 'Go to the first page' }).click();
  await expect(page.getByRole('link', { name: product.name, exact: true })).toBeVisible();
});

test('when a buyer shops on a phone, then the guest cart joins the account, and checkout, the live order and orders fit the screen', async ({
  page,
  browser,
}) => {
  const sellerContext = await browser.newContext();
  const seller = await signupViaApi(sellerContext.request, 'seller');
  const product = await createProductViaApi(sellerContext.request, { name: longName(), price: '12.50', stock: 5 });
  const saved = await createProductViaApi(sellerContext.request, { name: unique('Cork board'), price: '3.00' });
  // The account's cart, saved on the server from another device.
  const buyerContext = await browser.newContext();
  const buyer = await signupViaApi(buyerContext.request, 'buyer');
  await saveCartViaApi(buyerContext.request, [saved]);
  await buyerContext.close();

  // A visitor's cart lives in the browser; logging in joins it with the account's.
  await page.goto(`/products/${product.id}`);
  await page.getByLabel('Quantity', { exact: true }).fill('2');
  await page.getByRole('button', { name: /^Add to cart/ }).click();
  await expect(page.getByText('Added. Your cart holds 2 of this product.')).toBeVisible();
  await goViaMenu(page, 'Cart (2)');
  await page.getByRole('link', { name: 'Log in to place the order' }).click();
  await page.getByLabel('Email').fill(buyer.email);
  await page.getByLabel('Password').fill(buyer.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByRole('row', { name: new RegExp(product.name.slice(0, 40)) })).toContainText('$25.00');
  await expect(page.getByRole('row', { name: new RegExp(saved.name) })).toContainText('$3.00');
  await expect(page.getByRole('link', { name: 'Checkout' })).toBeVisible();
  await expectUsable(page, 'cart, joined with the saved one');

  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByLabel('Full name of the recipient')).toBeVisible();
  await expectUsable(page, 'checkout: new address');
  await addAddressViaUi(page);
  await expectUsable(page, 'checkout: choose the address');
  await page.getByRole('button', { name: 'Continue to review' }).click();
  await expect(page.getByRole('button', { name: 'Place order' })).toBeEnabled();
  await expect(page.getByText('Total: $28.00')).toBeVisible();
  await expectUsable(page, 'checkout: review');

  await page.getByRole('button', { name: 'Place order' }).click();
  const status = page.getByTestId('order-status');
  await expect(status).toContainText('Confirmed');
  await expectUsable(page, 'order page');

  // The seller ships from elsewhere: the open page shows it without a reload, then the buyer confirms delivery.
  await page.evaluate(() => Object.assign(window, { samePage: true }));
  await shipViaApi(sellerContext.request, page.url().split('/').at(-1) ?? '', seller.user.id);
  await sellerContext.close();
  await expect(status).toContainText('Shipped');
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
  await expectUsable(page, 'a shipped order');
  await page.getByRole('button', { name: 'I received this' }).click();
  await expect(status).toContainText('Delivered');

  await goViaMenu(page, 'My orders');
  await expect(page.getByTestId('order-row')).toHaveCount(1);
  await expect(page.getByTestId('order-row')).toContainText('Delivered');
  await expectUsable(page, 'my orders');

  await page.goto('/account/addresses');
  await expect(page.getByRole('listitem').filter({ hasText: 'St James Square' })).toBeVisible();
  await expectUsable(page, 'saved addresses');

  await openMenu(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByText('You have logged out.')).toBeVisible();
  await expectFitsWidth(page, 'catalog after logging out');
});

test('when a seller works on a phone, then products and their tools, the product form and sales fit the screen', async ({
  page,
  browser,
}) => {
  await signupOnPhone(page, 'seller');
  const product = await createProductViaApi(page.context().request, { name: longName(), price: '12.50', stock: 4 });
  const lamp = await createProductViaApi(page.context().request, { name: unique('Desk lamp'), price: '5.00' });
  const buyerContext = await browser.newContext();
  await signupViaApi(buyerContext.request, 'buyer');
  await buyViaApi(buyerContext.request, product, 1);
  await buyerContext.close();

  await page.goto('/');
  await goViaMenu(page, 'Seller dashboard');
  await expect(page.getByTestId('my-product-row')).toHaveCount(2);
  await expectUsable(page, 'seller products');
  await expectMyProductsTools(page, lamp, product, (what) => expectUsable(page, what));
  await expectUnsavedEditsGuarded(page, lamp);

  await page.goto('/seller/products/new');
  await page.getByRole('button', { name: 'Create product' }).click();
  await expect(page.getByText('Enter a name.')).toBeVisible();
  await expectUsable(page, 'product form with errors');

  await page.goto(`/seller/products/${product.id}/edit`);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(product.name);
  await expectUsable(page, 'edit product');
  await page
    .getByLabel('Picture', { exact: true })
    .setInputFiles({ name: 'mug.png', mimeType: 'image/png', buffer: PICTURE });
  await page.getByLabel('Description of the picture').fill('A white mug with a long word printed around it');
  await page.getByRole('button', { name: 'Add picture' }).click();
  await expect(page.getByLabel('Description of picture 1')).toHaveValue(
    'A white mug with a long word printed around it',
  );
  await expectUsable(page, 'edit product with a picture');

  await expectSalesTools(page, product, '$12.50', (what) => expectUsable(page, what));
  await expectUsable(page, 'sales');

  await page.getByRole('button', { name: 'Ship…' }).click();
  await page.getByLabel('Carrier').fill('DHL');
  await page.getByLabel('Tracking number').fill('JD014600001234567890');
  await expectUsable(page, 'sales with the ship form open');
  await page.getByRole('button', { name: 'Mark as shipped' }).click();
  await expect(page.getByTestId('sale-row')).toContainText('Shipped');
  await expectUsable(page, 'sales with a shipped part');
  await page.getByRole('button', { name: 'Mark as delivered' }).click();
  await expect(page.getByTestId('sale-row')).toContainText('Delivered');
});

test('when a seller opens the account page on a phone, then profile, sessions, password, data and deletion fit the screen', async ({
  page,
}) => {
  await signupOnPhone(page, 'seller');
  await page.goto('/');
  await goViaMenu(page, 'Account');
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete my account' })).toBeVisible();
  await expectUsable(page, 'account');
});

test('when an admin works on a phone, then users with a confirmation, all orders filtered, moderation and dead letters fit the screen', async ({
  page,
  browser,
}) => {
  const setup = await browser.newContext();
  await signupViaApi(setup.request, 'seller');
  const product = await createProductViaApi(setup.request, { name: unique('Replica watch') });
  await setup.clearCookies();
  const buyer = await signupViaApi(setup.request, 'buyer');
  await buyViaApi(setup.request, product, 1);
  await setup.close();
  const name = buyer.user.username;

  await page.goto('/login');
  await page.getByLabel('Email').fill(adminCredentials.email);
  await page.getByLabel('Password').fill(adminCredentials.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page).not.toHaveURL(/\/login$/);

  await goViaMenu(page, 'Admin');
  await expect(page.getByTestId('user-row').first()).toBeVisible();
  await expectUsable(page, 'admin users');
  await page.getByLabel('Search by username or email').fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const row = page.getByTestId('user-row').filter({ hasText: name });
  await row.getByLabel(`Role of ${name}`).selectOption('seller');
  await expect(row.getByRole('button', { name: 'Yes, make seller' })).toBeFocused();
  await expectUsable(page, 'admin users, confirming a role change');
  await page.keyboard.press('Escape');
  await expect(row.getByLabel(`Role of ${name}`)).toHaveValue('buyer');

  await page.getByRole('link', { name: 'All orders' }).click();
  await expect(page.getByRole('heading', { name: 'All orders' })).toBeVisible();
  await expectUsable(page, 'admin orders');
  await page.getByLabel('Buyer (username or id)').fill(name);
  await page.getByLabel('Status').selectOption({ label: 'Confirmed' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await expect(page.locator('tbody tr')).toContainText(name);
  await expectUsable(page, 'admin orders, filtered');
  // Someone else's order in an admin's words: whose it is, no "Your order", no Cancel.
  await page
    .locator('tbody tr')
    .getByRole('link', { name: /^Order / })
    .click();
  await expect(page.getByTestId('order-buyer')).toHaveText(`Buyer: ${name}`);
  await expect(page.getByTestId('order-status')).toContainText('Confirmed');
  await expect(page.getByTestId('order-status')).not.toContainText('Your order');
  await expect(page.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
  await expectUsable(page, "someone's order, read by an admin");
  await page.getByRole('link', { name: '← All orders' }).click();

  await page.getByRole('link', { name: 'Dead letters' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dead letters' })).toBeVisible();
  await expectUsable(page, 'admin dead letters');

  await page.goto(`/products/${product.id}`);
  await page.getByRole('button', { name: 'Unlist this product' }).click();
  await page
    .getByLabel('Reason for unlisting (the seller reads it)')
    .fill('Listings of replica watches are not allowed.');
  await expectUsable(page, 'product page, moderation form');
  await page.getByRole('button', { name: 'Unlist this product' }).click();
  await expect(page.getByText('The product is unlisted. Its seller sees your reason.')).toBeVisible();
  await expect(page.getByTestId('moderation-notice')).toContainText('replica watches');
  await expectUsable(page, 'product page, unlisted');
  await page.getByRole('button', { name: 'Put back in the catalog' }).click();
  await expect(page.getByText('The product is back in the catalog.')).toBeVisible();
});

test('when a buyer sets up two-factor sign-in on a phone, then the key, the code field and the recovery codes fit', async ({
  page,
}) => {
  await signupOnPhone(page, 'buyer');
  await page.goto('/account/security');
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await expectUsable(page, 'two-factor set-up');

  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  await expectUsable(page, 'recovery codes');
});
