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

const HEADER = 'identifier_type,identifier,given_name,family_name,date_of_birth,sex,address,postcode,email,mobile';

for (const javaScript of [true, false]) {
  test(`a practice admin checks a register file, sees each bad line, then imports a good one (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
    const context = await phoneContext(browser, 'admin', javaScript);
    const page = await context.newPage();
    const errors = watchForErrors(page, { javaScript });
    const upload = async (csv: string, mode: RegExp) => {
      await page.goto('/admin/patients/import');
      await page.getByLabel('Register file (CSV)').setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByLabel(mode).check();
      await page.getByRole('button', { name: 'Continue' }).click();
    };
    // Each run imports its own CHI number, so the second run does not clash with the first.
    const suffix = javaScript ? '1' : '2';
    await upload(`${HEADER}\nnhs,12345,No,Good,01/01/1990,female,,,,\nnhs,943 476 5919,,Ahmed,31/02/1990,robot,,,,\n`, /Check the file only/);
    await expect(page.locator('.nhsuk-error-summary')).toContainText('Line 2:');
    await expect(page.locator('.nhsuk-error-summary')).toContainText('Line 3:');
    await expect(page.locator('.nhsuk-error-summary')).toContainText('Nothing was imported');
    await page.screenshot({ path: `screenshots/import-problems-phone-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });

    const good = `${HEADER}\nchi,${suffix === '1' ? '0101901232' : '0202901238'},Iona,Scott${suffix},01/01/1990,female,,,,\n`;
    await upload(good, /Check the file only/);
    await expect(page.getByText('1 patient to import')).toBeVisible();
    await upload(good, /Import the patients/);
    await expect(page.getByText('1 patient imported.')).toBeVisible();
    await page.goto('/admin/patients');
    if (javaScript) await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    await page.getByLabel('Name, date of birth or NHS, CHI or H&C number').fill(`Iona Scott${suffix}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByRole('link', { name: `Iona Scott${suffix}` })).toBeVisible();
    expect(page.url()).not.toContain('Iona');
    expect(errors.filter((e) => !e.includes('status of 4'))).toEqual([]);
    await context.close();
  });
}
