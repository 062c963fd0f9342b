import { expect, type Locator, type Page } from '@playwright/test';
import type { SignupRole } from '../../src/api/contracts';
import { newAccountDetails, type Account } from './api';
import { waitForMailLink } from './mail';

export async function signupViaUi(
  page: Page,
  role: SignupRole,
  { verified = true } = {},
): Promise<Omit<Account, 'user'> & { username: string }> {
  const details = newAccountDetails(role);
  await page.goto('/signup');
  await page.getByLabel('Username').fill(details.username);
  await page.getByLabel('Email').fill(details.email);
  await page.getByLabel('Password').fill(details.password);
  await page.getByRole('radio', { name: role === 'seller' ? /sell products/i : /buy products/i }).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(`Signed in as ${details.username}`)).toBeVisible();
  if (verified) await verifyViaMail(page, details.email);
  return details;
}

/** Opens the verification link of the mail MailDev caught, as the user would, and waits until the session carries it. */
export async function verifyViaMail(page: Page, email: string): Promise<void> {
  const at = page.url();
  await page.goto(await waitForMailLink(email, '/verify-email'));
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible();
  await page.goto(at);
}

export async function loginViaUi(page: Page, email: string, password: string): Promise<void> {
  if (!/\/login/.test(page.url())) await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

export async function logoutViaUi(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByText('You have logged out.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Log in', exact: true })).toBeVisible();
}

export const adminCredentials = {
  email: process.env.ADMIN_EMAIL || 'admin@demo.local',
  password: process.env.ADMIN_PASSWORD || 'demo-admin-pass',
};

export const SHIPPING_ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  postalCode: 'SW1Y 4JH',
  city: 'London',
  country: 'United Kingdom',
};

/** Fills the new address form (the only address form open) and saves it. */
export async function fillAddressViaUi(page: Page, address = SHIPPING_ADDRESS): Promise<void> {
  await page.getByLabel('Full name of the recipient').fill(address.name);
  await page.getByLabel('Street and house number').fill(address.line1);
  await page.getByLabel('Postal code').fill(address.postalCode);
  await page.getByLabel('Town or city').fill(address.city);
  await page.getByLabel('Country').selectOption({ label: address.country });
  await page.getByRole('button', { name: 'Add address' }).click();
}

/** Adds an address on checkout's address step (a buyer without saved addresses sees the form at once); it is chosen. */
export async function addAddressViaUi(page: Page, address = SHIPPING_ADDRESS): Promise<void> {
  await fillAddressViaUi(page, address);
  await expect(page.getByRole('radio', { name: new RegExp(address.line1) })).toBeChecked();
}

/** From the cart of a buyer without saved addresses to checkout's review step, shipping to a new address. */
export async function checkoutToReviewViaUi(page: Page, address = SHIPPING_ADDRESS): Promise<void> {
  await page.getByRole('link', { name: 'Checkout' }).click();
  await addAddressViaUi(page, address);
  await page.getByRole('button', { name: 'Continue to review' }).click();
  await expect(page.getByRole('button', { name: 'Place order' })).toBeEnabled();
}

/**
 * Reloads until `locator` is on the page. nginx shares the catalog's public reads for
 * CATALOG_CACHE_SECONDS (README, Catalog caching; 10 s by default): a visitor without a session may
 * see a page without a change made since for that long, never longer.
 */
export async function reloadUntilAttached(page: Page, locator: Locator): Promise<void> {
  await expect
    .poll(
      async () => {
        if ((await locator.count()) === 0) await page.reload();
        return locator.count();
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
}
