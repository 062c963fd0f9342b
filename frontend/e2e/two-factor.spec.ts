import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { totp } from './support/totp';
import { logoutViaUi, signupViaUi } from './support/ui';

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible();
  // No session yet: the header still offers to log in.
  await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
}

test('when a seller turns on two-factor sign-in, then signing in needs a code from the app or a recovery code', async ({
  page,
}) => {
  const account = await signupViaUi(page, 'seller');
  await page.goto('/account/security');
  await expect(page.getByText('Two-factor sign-in is off.')).toBeVisible();
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectNoAxeViolations(page, 'two-factor set-up');

  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByText('That code is not valid', { exact: false })).toBeVisible();
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  const recoveryCodes = await page
    .getByRole('list', { name: 'Recovery codes' })
    .getByRole('listitem')
    .allTextContents();
  expect(recoveryCodes).toHaveLength(10);
  await expectNoAxeViolations(page, 'recovery codes');
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByText('You have 10 unused recovery codes.')).toBeVisible();
  await logoutViaUi(page);

  // The code that turned it on was used in this 30-second step; the app's next code is accepted.
  await passwordStep(page, account.email, account.password);
  await expectNoAxeViolations(page, 'second step');
  await page.getByLabel('Code').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByText(`Signed in as ${account.username}`)).toBeVisible();
  await logoutViaUi(page);

  await passwordStep(page, account.email, account.password);
  await page.getByLabel('Code').fill(recoveryCodes[0]!);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByText(`Signed in as ${account.username}`)).toBeVisible();
  await page.goto('/account/security');
  await expect(page.getByText('You have 9 unused recovery codes.')).toBeVisible();
});
