import { test, expect } from '@playwright/test';
import { phoneContext, watchForErrors } from './support/page-checks';

const SIZES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, patient: 'Dev Ahmed' },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, patient: 'Ella Ahmed' },
];

for (const size of SIZES) {
  test(`a receptionist finds a patient, opens their page and changes a service (${size.name})`, async ({ browser }) => {
    const context = await phoneContext(browser, 'receptionist', true);
    const page = await context.newPage();
    await page.setViewportSize(size.viewport);
    const errors = watchForErrors(page);
    await page.goto('/admin/patients');
    await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    await page.getByLabel('Name, date of birth or NHS, CHI or H&C number').fill(size.patient);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: size.patient }).click();

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Patient');
    await expect(page.getByRole('heading', { level: 2, name: size.patient })).toBeVisible();
    await expect(page.getByText('These are the practice')).toBeVisible();
    await page.getByText('Change their online services').click();
    await page.getByLabel('Message the practice').uncheck();
    await page.getByRole('button', { name: 'Save their online services' }).click();
    await expect(page.locator('.nhsuk-error-summary')).toContainText('Give a reason');

    await page.getByLabel('Reason for the change').fill('Asked not to use messaging');
    await page.getByRole('button', { name: 'Save their online services' }).click();
    await expect(page.getByText('Their online services are saved.')).toBeVisible();
    await expect(page.getByText('Can use: appointments, repeat prescriptions', { exact: true })).toBeVisible();
    await expect(page.getByText('Reason: Asked not to use messaging')).toBeVisible();
    await page.screenshot({ path: `screenshots/patient-grants-changed-${size.name}.png`, fullPage: true });
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
    await context.close();
  });
}
