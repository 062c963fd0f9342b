import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { countMailTo, waitForMailLink } from './support/mail';
import { signupViaApi } from './support/api';
import { loginViaUi, signupViaUi } from './support/ui';

const NEW_PASSWORD = 'a freshly mailed passphrase';

test('when a user forgets the password, then the mailed link sets a new one and the old session ends', async ({
  page,
  browser,
}) => {
  const other = await browser.newContext();
  const account = await signupViaApi(other.request, 'buyer');
  const resetsBefore = await countMailTo(account.email);

  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Forgot password' })).toBeVisible();
  await expectNoAxeViolations(page, 'the forgot-password page');
  await page.getByLabel('Email').fill(account.email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText('If an account uses this address')).toBeVisible();

  await page.goto(await waitForMailLink(account.email, '/reset-password', { skip: resetsBefore }));
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  await expectNoAxeViolations(page, 'the reset-password page');
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByText('Your password is changed and every session has ended.')).toBeVisible();

  // The session that existed before the reset is over.
  expect(
    (await other.request.post('/api/auth/refresh', { headers: { 'x-requested-with': 'marketplace' } })).status(),
  ).toBe(401);
  await other.close();
  await loginViaUi(page, account.email, NEW_PASSWORD);
});

test('when a new user confirms the address from the mail, then the banner goes and the account may order', async ({
  page,
}) => {
  const account = await signupViaUi(page, 'buyer', { verified: false });
  const banner = page.getByRole('region', { name: 'Email address not confirmed' });
  await expect(banner).toBeVisible();
  await expectNoAxeViolations(page, 'a page with the verification banner');

  // Asked again: the newest link works (each link works once, any of them may be used).
  const before = await countMailTo(account.email);
  await banner.getByRole('button', { name: 'Send the link again' }).click();
  await expect(banner.getByText('A new confirmation link is on its way')).toBeVisible();
  await page.goto(await waitForMailLink(account.email, '/verify-email', { skip: before }));
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible();

  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(banner).toHaveCount(0);
});
