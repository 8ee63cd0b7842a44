import { test, expect } from '@playwright/test';
import { DEMO, PHONE, watchForErrors } from './support/page-checks';
import { newPracticeSetupLink } from './support/setup-link';

test('without JavaScript a refused form comes back with the summary and the values typed, and nothing in the URL', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  const errors = watchForErrors(page, { javaScript: false });
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(DEMO.patient.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter a correct email address and password');
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  expect(new URL(page.url()).search).toBe('');
  await expect(page.getByLabel('Email address')).toHaveValue(DEMO.patient.email);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.locator('.nhsuk-form-group--error')).toHaveCount(1);
  await page.getByRole('link', { name: 'Enter a correct email address and password' }).click();
  await expect(page.getByLabel('Email address')).toBeFocused();
  await page.screenshot({ path: 'screenshots/sign-in-refused-no-js-phone.png', fullPage: true });
  expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
  await context.close();
});

test('with JavaScript a refused form comes back in place: the summary takes the focus and the values stay', async ({ page }) => {
  const documents: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'document') documents.push(request.url());
  });
  await page.goto('/sign-in');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await page.getByLabel('Email address').fill('not-an-email');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toContainText('Enter an email address in the correct format');
  await expect(summary).toContainText('Enter your password');
  await expect(summary).toBeFocused();
  await expect(page.getByLabel('Email address')).toHaveValue('not-an-email');
  expect(page.url()).not.toContain('not-an-email');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  expect(documents, 'no new document was loaded').toHaveLength(1);
  await page.screenshot({ path: 'screenshots/sign-in-checks-js-phone.png', fullPage: true });
});

test('with JavaScript a wrong password is refused by the server in place, without a reload', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await page.getByLabel('Email address').fill(DEMO.patient.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter a correct email address and password');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});

for (const javaScript of [true, false]) {
  test(`a new practice admin sets a password from the set-up link and signs in (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
    const { link, email } = newPracticeSetupLink();
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto(new URL(link).pathname);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose your password');
    if (javaScript) await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Type your password again').fill('short');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expect(page.locator('.nhsuk-error-summary')).toContainText('Password must be 10 characters or more');

    await page.getByLabel('Password', { exact: true }).fill('moor lane practice admin');
    await page.getByLabel('Type your password again').fill('moor lane practice admin');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expect(page).toHaveURL(/\/setup-complete$/);

    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('moor lane practice admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Staff set up an authenticator app at their first sign-in (sign-in-hardening.spec.ts goes on from here).
    await expect(page).toHaveURL(/\/sign-in\/set-up-two-factor$/);
    await expect(page.getByRole('banner')).toContainText('Riverside Medical Practice');

    await page.goto(new URL(link).pathname);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('There is a problem');
    await expect(page.getByText('This link has expired or has already been used')).toBeVisible();
    await context.close();
  });
}
