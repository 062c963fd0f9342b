import { expect, type Dialog, type Page } from '@playwright/test';
import type { Product } from '../../src/api/contracts';

const LEAVE_QUESTION = 'You have unsaved changes. Leave this page and lose them?';

/** Answers the page's confirm() questions in order (true: OK, false: Cancel) and keeps what was asked. */
function answerQuestions(page: Page) {
  const asked: string[] = [];
  const answers: boolean[] = [];
  const onDialog = async (dialog: Dialog) => {
    asked.push(dialog.message());
    await (answers.shift() ? dialog.accept() : dialog.dismiss());
  };
  page.on('dialog', onDialog);
  return {
    asked,
    next: (...more: boolean[]) => answers.push(...more),
    stop: () => page.off('dialog', onDialog),
  };
}

/**
 * From "My products" listing `product`, on its edit page with an unsaved edit: the browser's Back and a
 * dashboard link ask first; staying keeps the edit; leaving (by Back or the link) and saving each take one
 * history step, so Back afterwards shows the edit page once and then "My products" again.
 */
export async function expectUnsavedEditsGuarded(page: Page, product: Product): Promise<void> {
  const list = page.getByRole('heading', { level: 1, name: 'My products' });
  const nameField = page.getByLabel('Name', { exact: true });
  const questions = answerQuestions(page);
  const historyLength = () => page.evaluate(() => window.history.length);
  /** Opens the edit page by its link; resolves the history's length then (no entry ahead of it). */
  const openEditor = async (name: string) => {
    await page.getByRole('link', { name: `Edit ${name}` }).click();
    await expect(nameField).toHaveValue(name);
    return historyLength();
  };
  const backToList = async () => {
    await page.goBack();
    await expect(list).toBeVisible();
    await expect(page).toHaveURL(listUrl);
  };

  await expect(list).toBeVisible();
  const listUrl = page.url();
  await openEditor(product.name);
  const editUrl = page.url();
  await nameField.fill(`${product.name} (edited)`);

  questions.next(false);
  await page.goBack();
  await expect.poll(() => questions.asked).toEqual([LEAVE_QUESTION]);
  await expect(page).toHaveURL(editUrl);
  await expect(nameField).toHaveValue(`${product.name} (edited)`);
  questions.next(true);
  await backToList();
  expect(questions.asked).toHaveLength(2);

  let lengthOnEditor = await openEditor(product.name);
  await nameField.fill(`${product.name} (edited)`);
  questions.next(false, true);
  await page.getByRole('navigation', { name: 'Seller dashboard' }).getByRole('link', { name: 'My products' }).click();
  await expect(nameField).toHaveValue(`${product.name} (edited)`);
  await page.getByRole('navigation', { name: 'Seller dashboard' }).getByRole('link', { name: 'My products' }).click();
  await expect(list).toBeVisible();
  expect(questions.asked).toHaveLength(4);
  expect(await historyLength(), 'the list took the place of the edit page').toBe(lengthOnEditor + 1);
  await page.goBack();
  await expect(nameField).toHaveValue(product.name); // the page again, fresh: the edit was given up
  await backToList();

  const savedName = `${product.name} (renamed)`;
  lengthOnEditor = await openEditor(product.name);
  await nameField.fill(savedName);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`Saved “${savedName}”.`)).toBeVisible();
  expect(await historyLength(), 'the list took the place of the edit page').toBe(lengthOnEditor + 1);
  await page.goBack();
  await expect(nameField).toHaveValue(savedName);
  await backToList();
  expect(questions.asked, 'only an unsaved edit asks').toHaveLength(4);
  questions.stop();
}
