import { test, expect } from '@playwright/test';
import { DEMO, PHONE } from './support/page-checks';

// The page's WebAssembly (the islands) may never arrive on a bad connection.
// Pages, links and forms must not depend on it.
test('when the WebAssembly cannot be downloaded, links still change the page and forms still post', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE });
  const blocked: string[] = [];
  await context.route(/\/pkg\/.*\.(wasm|js)$/, (route) => {
    blocked.push(route.request().url());
    return route.abort('failed');
  });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');

  // A form refused, then one that works: both answered, in place.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter your email address');
  await page.getByLabel('Email address').fill(DEMO.patient.email);
  await page.getByLabel('Password').fill(DEMO.patient.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
  await page.getByRole('link', { name: 'Appointments', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your appointments');
  await page.getByRole('link', { name: 'Book an appointment' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Book an appointment');

  expect(blocked.length, 'the WebAssembly was asked for and refused').toBeGreaterThan(0);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/no-webassembly-book-phone.png', fullPage: true });
  await context.close();
});
