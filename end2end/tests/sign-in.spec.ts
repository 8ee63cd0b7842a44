import { test, expect, type Page } from '@playwright/test';
import { watchForErrors } from './support/page-checks';
import { freshCode } from './support/totp';

/** Signs in through the form; staff also type a fresh code from the demo authenticator secret. */
async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (email.endsWith('@riverside.example') && !email.includes('patient')) {
    await expect(page).toHaveURL(/\/sign-in\/two-factor$/);
    await page.getByLabel('Security code').fill(await freshCode(email));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
}

test('the demo patient signs in, sees their account and signs out', async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto('/sign-in');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await signIn(page, 'patient@riverside.example', 'demo-patient-1');
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await page.getByRole('link', { name: 'Your account' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
  await expect(page.getByText('Amara Ahmed').first()).toBeVisible();
  await page.screenshot({ path: 'screenshots/account-phone.png', fullPage: true });

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You need to sign in');
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('a wrong password shows the error summary and signs nobody in', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await signIn(page, 'patient@riverside.example', 'not the password');
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter a correct email address and password');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.screenshot({ path: 'screenshots/sign-in-error-phone.png', fullPage: true });
});

test('demo staff reach the admin area', async ({ page }) => {
  await signIn(page, 'admin@riverside.example', 'demo-admin-pass-1');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Practice admin');
  await expect(page.getByRole('link', { name: 'Audit trail' })).toBeVisible();
  await page.screenshot({ path: 'screenshots/admin-phone.png', fullPage: true });
  await page.getByRole('link', { name: 'Audit trail' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit trail');
  await expect(page.getByRole('cell', { name: 'sign_in', exact: true }).first()).toBeVisible();
  await page.screenshot({ path: 'screenshots/admin-audit-phone.png', fullPage: true });
});

test('a patient is refused at /admin', async ({ page }) => {
  await signIn(page, 'patient@riverside.example', 'demo-patient-1');
  await expect(page).toHaveURL(/\/home$/);
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You cannot see this page');
  await expect(page.getByText('reception@riverside.example')).toHaveCount(0);
});

test('signing in works with JavaScript switched off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, 'reception@riverside.example', 'demo-reception-1');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Practice admin');
  await context.close();
});
