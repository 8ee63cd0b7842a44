import { test, expect } from '@playwright/test';
import { watchForErrors } from './support/page-checks';

test('the demo practice home page renders at phone size and hydrates without errors', async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto('/');
  await expect(page.getByRole('banner')).toContainText('Riverside Medical Practice');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Online services at Riverside Medical Practice');
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Register for online services' })).toBeVisible();
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await page.screenshot({ path: 'screenshots/home-phone.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('the home page is complete with JavaScript switched off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors = watchForErrors(page, { javaScript: false });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Online services at Riverside Medical Practice');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/home-phone-no-js.png', fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});

test('an unknown address shows the friendly not-found page', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('link', { name: 'Go to the home page' })).toBeVisible();
});
