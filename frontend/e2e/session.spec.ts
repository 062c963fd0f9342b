import { expect, test, type Page } from '@playwright/test';
import { expectNoTokenInPage, signupViaApi } from './support/api';
import { expectNoAxeViolations } from './support/axe';
import { adminCredentials, loginViaUi, logoutViaUi, signupViaUi } from './support/ui';

test('when a visitor signs up, logs out and logs in again, then the account is shown and no token is readable', async ({
  page,
}) => {
  const account = await signupViaUi(page, 'buyer');
  await expectNoTokenInPage(page);

  await logoutViaUi(page);
  // The account's cart is not shown to whoever uses the browser next: the header counts the empty guest cart.
  await expect(page.getByRole('link', { name: 'Cart (0)' })).toBeVisible();

  await loginViaUi(page, account.email, account.password);
  await expect(page.getByText(`Signed in as ${account.username}`)).toBeVisible();
  await expectNoTokenInPage(page);
});

test('when the password is wrong, then the login form says so in a sentence', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('nobody-here@e2e.test');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('That email and password do not match an account.');
});

test('when signing up with a taken email or a short password, then each problem is explained', async ({ page }) => {
  const first = await signupViaUi(page, 'buyer');
  await logoutViaUi(page);

  await page.goto('/signup');
  await page.getByLabel('Username').fill('x');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Use 3 to 32 characters.')).toBeVisible();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
  await expect(page.getByLabel('Username')).toBeFocused();

  await page.getByLabel('Username').fill(`${first.username}-2`.slice(0, 32));
  await page.getByLabel('Email').fill(first.email);
  await page.getByLabel('Password').fill('another long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('already registered');
});

test('when the demo buttons are used, then the visitor is signed in as the demo buyer or seller', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Try as demo buyer' }).click();
  await expect(page.getByText('Signed in as demo-buyer')).toBeVisible();
  await logoutViaUi(page);

  await page.goto('/login');
  await page.getByRole('button', { name: 'Try as demo seller' }).click();
  await expect(page.getByText('Signed in as demo-seller')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Seller dashboard' })).toBeVisible();
});

test('when a buyer opens the seller dashboard, then it is refused with a reason', async ({ page }) => {
  await signupViaUi(page, 'buyer');
  await expect(page.getByRole('link', { name: 'Seller dashboard' })).toHaveCount(0);

  await page.goto('/seller');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('This page is only for sellers. You are signed in as a buyer.');
  await expect(page.getByRole('link', { name: 'My products' })).toHaveCount(0);

  await page.goto('/admin/users');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
});

test('when an anonymous visitor opens a private page, then login is asked and the visitor comes back after it', async ({
  page,
}) => {
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText('Please log in to see that page.')).toBeVisible();

  await page.getByRole('button', { name: 'Try as demo buyer' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole('heading', { name: 'My orders' })).toBeVisible();
});

/** Opens All orders and waits until its list has loaded, so no request is still in flight when cookies change. */
async function openAllOrders(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'All orders' }).click();
  await expect(page.getByRole('heading', { name: 'All orders' })).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'All orders, newest first' }).or(page.getByText('No orders yet.')),
  ).toBeVisible();
}

test.describe('admin session', () => {
  test.beforeEach(async ({ page }) => {
    await loginViaUi(page, adminCredentials.email, adminCredentials.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    await expect(page.getByTestId('user-row').first()).toBeVisible();
  });

  test('when the access token expired, then the next request refreshes it silently', async ({ page, context }) => {
    await openAllOrders(page);
    await context.clearCookies({ name: 'access_token' });

    // The list seen before shows from the cache at once; the request behind it is the one that refreshes.
    const listed = page.waitForResponse((response) => response.url().includes('/api/auth/users') && response.ok());
    await page.getByRole('link', { name: 'Users' }).click();
    await listed;
    await expect(page.getByTestId('user-row').first()).toBeVisible();
    expect((await context.cookies()).map((cookie) => cookie.name)).toContain('access_token');
  });

  test('when the session has ended, then the next request leads to login with a notice, and back after it', async ({
    page,
    context,
  }) => {
    await openAllOrders(page);
    await context.clearCookies();

    await page.getByRole('link', { name: 'Users' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByText('Your session ended. Please log in again.')).toBeVisible();

    await loginViaUi(page, adminCredentials.email, adminCredentials.password);
    await expect(page).toHaveURL(/\/admin\/users$/);
  });

  test('when the admin changes a role or disables a user, then each change waits for a confirmation and the list says so', async ({
    page,
    browser,
  }) => {
    const other = await browser.newContext();
    const target = await signupViaApi(other.request, 'buyer');
    await other.close();
    const name = target.user.username;

    await page.getByLabel('Search by username or email').fill(name);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByTestId('user-row').filter({ hasText: name });
    await expect(row).toBeVisible();

    await row.getByRole('button', { name: `Disable ${name}` }).click();
    const question = row.getByRole('alertdialog', { name: `Disable ${name}? They can no longer log in.` });
    await expect(question.getByRole('button', { name: `Yes, disable ${name}` })).toBeFocused();
    await expectNoAxeViolations(page, 'admin users, confirming');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect(row.getByRole('button', { name: `Disable ${name}` })).toBeFocused();
    await expect(row.getByText('Active', { exact: true })).toBeVisible();

    await row.getByRole('button', { name: `Disable ${name}` }).click();
    await row.getByRole('button', { name: `Yes, disable ${name}` }).click();
    await expect(page.getByText(`${name} is disabled and can no longer log in.`)).toBeVisible();
    await row.getByRole('button', { name: `Enable ${name}` }).click();
    await row.getByRole('button', { name: `Yes, enable ${name}` }).click();
    await expect(page.getByText(`${name} is enabled again.`)).toBeVisible();

    await row.getByLabel(`Role of ${name}`).selectOption('seller');
    await expect(row.getByRole('button', { name: 'Yes, make seller' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(row.getByLabel(`Role of ${name}`)).toHaveValue('buyer');
    await row.getByLabel(`Role of ${name}`).selectOption('seller');
    await row.getByRole('button', { name: 'Yes, make seller' }).click();
    await expect(page.getByText(`${name} is now a seller.`)).toBeVisible();
    await expect(row.getByLabel(`Role of ${name}`)).toHaveValue('seller');
  });
});
