import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { loginViaUi, logoutViaUi, signupViaUi } from './support/ui';

const NEW_PASSWORD = 'a brand new passphrase';

test('when a buyer changes the password, downloads the data and deletes the account, then each takes effect', async ({
  page,
  browser,
}) => {
  const account = await signupViaUi(page, 'buyer');
  // A second browser signed in to the same account: the password change must end its session.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await loginViaUi(otherPage, account.email, account.password);

  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page.getByText(account.email)).toBeVisible();
  await expectNoAxeViolations(page, 'the account page');

  await page.getByLabel('Current password').fill(account.password);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. Every other device is signed out.')).toBeVisible();

  // The other browser's session ends at its next refresh; its next page load finds it signed out.
  await otherPage.context().clearCookies({ name: 'access_token' });
  await otherPage.goto('/orders');
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my data' }).click();
  const file = await (await download).path();
  const data = JSON.parse(await readFile(file, 'utf8')) as { account: { email: string }; orders: unknown[] };
  expect(data.account.email).toBe(account.email);
  expect(data.orders).toEqual([]);

  await logoutViaUi(page);
  await loginViaUi(page, account.email, NEW_PASSWORD);
  await page.getByRole('link', { name: 'Account' }).click();

  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('button', { name: 'Yes, delete it for good' }).click();
  await expect(page.getByText('That password is not right.')).toBeVisible();

  await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('button', { name: 'Yes, delete it for good' }).click();
  await expect(page.getByText('Your account was deleted.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();

  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('That email and password do not match an account.');
});

test('when a user signs out on every device, then the other browser is signed out too', async ({ page, browser }) => {
  const account = await signupViaUi(page, 'seller');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await loginViaUi(otherPage, account.email, account.password);

  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('button', { name: 'Sign out on every device' }).click();
  await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
  await expect(page.getByText('You are signed out on every device.')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  // The other browser's access token is refused within a second (each service reads the revocation
  // at most 0.5 s late) and its refresh token is revoked: its next page load ends on the login page.
  await otherPage.waitForTimeout(1_500);
  await otherPage.goto('/orders');
  await expect(otherPage).toHaveURL(/\/login/, { timeout: 10_000 });
  await other.close();
});
