import { test, expect } from '@playwright/test';
import { phoneContext, test_base_url, watchForErrors } from './support/page-checks';

test('reception checks ID and prints a letter; the patient sets up their account with it and signs in', async ({ browser }) => {
  const base = test_base_url();
  const staff = await phoneContext(browser, 'receptionist', true);
  const found = await (await staff.request.get(`${base}/api/admin/patients/search?q=Grace+Nowak`)).json();
  const details = await (
    await staff.request.post(`${base}/api/admin/patients/details`, { form: { patient_id: String(found[0].id) }, headers: { origin: base } })
  ).json();
  const desk = await staff.newPage();
  const deskErrors = watchForErrors(desk);
  await desk.goto(`/admin/patients/${found[0].id}`);
  await expect(desk.locator('body[data-hydrated]')).toHaveCount(1);
  await desk.getByRole('link', { name: 'Online account' }).click();
  await expect(desk.getByRole('heading', { level: 1 })).toHaveText('Online account');
  await expect(desk.getByText('No online account')).toBeVisible();
  // Nothing is issued until the check is recorded.
  await desk.getByRole('button', { name: 'Issue letter' }).click();
  await expect(desk.locator('.nhsuk-error-summary')).toContainText('Select how you checked who the patient is');
  await desk.getByLabel('Photo ID seen').check();
  await desk.getByLabel('Details').fill('Passport');
  await desk.getByLabel('I have talked to the patient').check();
  await desk.screenshot({ path: 'screenshots/online-account-check-phone.png', fullPage: true });
  await desk.getByRole('button', { name: 'Issue letter' }).click();
  await expect(desk.getByRole('heading', { level: 1 })).toHaveText('Registration letter');
  const letter = desk.getByRole('article', { name: 'Registration letter' });
  const detail = async (key: string) => ((await letter.locator('.nhsuk-summary-list__row', { hasText: key }).locator('dd').textContent()) ?? '').trim();
  const [practiceId, accountId, linkageKey] = [await detail('Practice ID'), await detail('Account ID'), await detail('Linkage key')];
  expect(practiceId).toBe('Y12345');
  expect(accountId).toMatch(/^\d{3} \d{3} \d{4}$/);
  expect(linkageKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await desk.screenshot({ path: 'screenshots/registration-letter-phone.png', fullPage: true });
  // On paper: A4 with the letter alone.
  await desk.emulateMedia({ media: 'print' });
  await expect(desk.locator('.nhsuk-header')).toBeHidden();
  await expect(desk.getByRole('heading', { level: 1 })).toBeHidden();
  await expect(letter).toBeVisible();
  await desk.setViewportSize({ width: 794, height: 1123 });
  await desk.screenshot({ path: 'screenshots/registration-letter-print-a4.png', fullPage: true });
  expect(deskErrors).toEqual([]);

  const phone = await phoneContext(browser, 'anonymous', true);
  const patient = await phone.newPage();
  const errors = watchForErrors(patient);
  await patient.goto('/register');
  await patient.getByRole('link', { name: 'Set up your account' }).click();
  await expect(patient.getByRole('heading', { level: 1 })).toHaveText('Set up your account');
  await expect(patient.locator('body[data-hydrated]')).toHaveCount(1);
  await patient.getByLabel('Practice ID').fill(practiceId);
  await patient.getByLabel('Account ID').fill(accountId);
  await patient.getByLabel('Linkage key').fill(linkageKey.toLowerCase());
  await patient.getByLabel('Your date of birth').fill('01/01/1901');
  await patient.getByLabel('Your email address').fill('grace.nowak@example.org');
  await patient.getByLabel('Choose a password').fill('grace chose this password');
  await patient.getByLabel('Type your password again').fill('grace chose this password');
  await patient.getByRole('button', { name: 'Set up account' }).click();
  // A wrong date of birth is told apart from nothing else.
  await expect(patient.locator('.nhsuk-error-summary')).toContainText('do not match a registration letter');
  await patient.screenshot({ path: 'screenshots/activate-no-match-phone.png', fullPage: true });
  await patient.getByLabel('Your date of birth').fill(details.date_of_birth_typed);
  await patient.getByLabel('Choose a password').fill('grace chose this password');
  await patient.getByLabel('Type your password again').fill('grace chose this password');
  await patient.getByRole('button', { name: 'Set up account' }).click();
  await expect(patient.getByText('Your account is set up.')).toBeVisible();
  await patient.getByLabel('Email address').fill('grace.nowak@example.org');
  await patient.getByLabel('Password').fill('grace chose this password');
  await patient.getByRole('button', { name: 'Sign in' }).click();
  await expect(patient).toHaveURL(/\/account$/);
  await expect(patient.getByText('Grace Nowak').first()).toBeVisible();
  await patient.screenshot({ path: 'screenshots/activated-first-sign-in-phone.png', fullPage: true });
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  await staff.close();
  await phone.close();
});
