import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { accessibilityViolations, phoneContext, watchForErrors } from './support/page-checks';

test('a patient browses each section of her record and downloads it; a clinician hides an entry and her next view lacks it', async ({ browser }) => {
  const patientContext = await phoneContext(browser, 'patient', true);
  const patient = await patientContext.newPage();
  const errors = watchForErrors(patient);
  await patient.goto('/home');
  await patient.getByRole('link', { name: 'Your record' }).first().click();
  await expect(patient.getByRole('heading', { level: 1 })).toHaveText('Your record');
  await expect(patient.getByText('Your practice shows your full record.')).toBeVisible();
  await expect(patient.getByText('Concern about a family member')).toHaveCount(0);
  await expect(patient.getByText('notes not finished')).toHaveCount(0);
  await patient.screenshot({ path: 'screenshots/record-phone.png', fullPage: true });
  const sections = [
    ['allergy', 'Allergies and adverse reactions'],
    ['medication', 'Medicines'],
    ['problem', 'Problems'],
    ['immunisation', 'Immunisations'],
    ['test_result', 'Test results'],
    ['consultation', 'Consultations'],
    ['document', 'Documents'],
  ];
  for (const [kind, section] of sections) {
    await patient.getByRole('link', { name: section, exact: true }).click();
    await expect(patient).toHaveURL(new RegExp(`section=${kind}$`));
    await expect(patient.getByLabel('Section')).toHaveValue(kind);
    const cards = patient.locator('.nhsuk-card').filter({ hasText: section });
    expect(await cards.count(), section).toBeGreaterThan(0);
  }
  await expect(patient.getByRole('img', { name: 'HbA1c (diabetes control) over time' })).toHaveCount(0);
  await patient.getByLabel('Section').selectOption('test_result');
  await patient.getByRole('button', { name: 'Show' }).click();
  await expect(patient.getByRole('img', { name: 'HbA1c (diabetes control) over time' })).toBeVisible();
  expect(await accessibilityViolations(patient), 'test results').toEqual([]);
  await patient.screenshot({ path: 'screenshots/record-results-phone.png', fullPage: true });

  const [download] = await Promise.all([
    patient.waitForEvent('download'),
    patient.getByRole('link', { name: 'Download what you can see (a FHIR file)' }).click(),
  ]);
  const bundle = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(bundle.resourceType).toBe('Bundle');
  const text = JSON.stringify(bundle);
  expect(text).toContain('Knee pain');
  expect(text).not.toContain('family member');
  expect(text).not.toContain('Serum potassium');

  const gpContext = await phoneContext(browser, 'clinician', true);
  const gp = await gpContext.newPage();
  const gpErrors = watchForErrors(gp);
  await gp.goto('/admin/patients');
  await gp.getByLabel('Name, date of birth or NHS, CHI or H&C number').fill('Amara Ahmed');
  await gp.getByRole('button', { name: 'Search' }).click();
  await gp.getByRole('link', { name: 'Amara Ahmed' }).click();
  await gp.getByRole('link', { name: 'Record' }).click();
  await expect(gp.getByRole('heading', { level: 1 })).toHaveText('Record');
  await expect(gp.getByText('Not filed: the patient cannot see it')).toBeVisible();
  const knee = gp.locator('.gp-record-entry').filter({ has: gp.getByRole('heading', { name: 'Knee pain' }) });
  await knee.getByRole('link', { name: 'Hide it from the patient' }).click();
  await gp.getByLabel('Why hide it from the patient').fill('Mentions a referral we have not yet discussed');
  await gp.getByRole('button', { name: 'Hide it' }).click();
  await expect(gp.getByText('Saved. What the patient sees has changed.')).toBeVisible();
  await gp.getByRole('link', { name: 'Preview as the patient' }).click();
  await expect(gp.getByText('This is exactly what the patient sees.')).toBeVisible();
  await expect(gp.getByRole('heading', { name: 'Knee pain' })).toHaveCount(0);
  await gp.screenshot({ path: 'screenshots/record-preview-staff-phone.png', fullPage: true });

  await patient.goto('/record?section=consultation');
  await expect(patient.getByRole('heading', { name: 'Diabetes and blood pressure review' })).toBeVisible();
  await expect(patient.getByRole('heading', { name: 'Knee pain' })).toHaveCount(0);

  // Shown again, for the other tests.
  await gp.getByRole('link', { name: 'The whole record' }).click();
  const hidden = gp.locator('.gp-record-entry').filter({ has: gp.getByRole('heading', { name: 'Knee pain' }) });
  await hidden.getByRole('button', { name: 'Show it to the patient' }).click();
  await expect(gp.getByText('Saved. What the patient sees has changed.')).toBeVisible();
  expect(errors).toEqual([]);
  expect(gpErrors).toEqual([]);
  await patientContext.close();
  await gpContext.close();
});
