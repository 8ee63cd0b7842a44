import { test, expect } from '@playwright/test';
import { findPatients, phoneContext, test_base_url, watchForErrors } from './support/page-checks';

test('reception checks ID and prints a letter; the patient sets up their account with it and signs in', async ({ browser }) => {
  const base = test_base_url();
  const staff = await phoneContext(browser, 'receptionist', true);
  const found = await findPatients(staff, 'Grace Nowak');
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
  await expect(desk.getByRole('banner')).toBeHidden();
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
  await expect(patient).toHaveURL(/\/home$/);
  await expect(patient.getByText('Grace Nowak').first()).toBeVisible();
  await patient.screenshot({ path: 'screenshots/activated-first-sign-in-phone.png', fullPage: true });
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  await staff.close();
  await phone.close();
});

test('a patient asks online; reception checks, approves and prints the letter; the patient sets up the account and signs in', async ({ browser }) => {
  const base = test_base_url();
  const staff = await phoneContext(browser, 'receptionist', true);
  const found = await findPatients(staff, 'Chloe Jones');
  const details = await (
    await staff.request.post(`${base}/api/admin/patients/details`, { form: { patient_id: String(found[0].id) }, headers: { origin: base } })
  ).json();

  const phone = await phoneContext(browser, 'anonymous', true);
  const patient = await phone.newPage();
  const errors = watchForErrors(patient);
  await patient.goto('/register');
  await expect(patient.locator('body[data-hydrated]')).toHaveCount(1);
  // Checked in the browser before anything is sent.
  await patient.getByRole('button', { name: 'Send request' }).click();
  await expect(patient.locator('.nhsuk-error-summary')).toContainText('Enter your first name');
  await patient.getByLabel('First name').fill('Chloe');
  await patient.getByLabel('Last name').fill('Jones');
  await patient.getByLabel('Date of birth').fill(details.date_of_birth_typed);
  await patient.getByLabel('Female').check();
  await patient.getByLabel('Postcode').fill(details.postcode);
  await patient.getByLabel('NHS number (England').check();
  await patient.getByLabel('Your number').fill(details.summary.identifier);
  await patient.getByLabel('Email address').fill('chloe.jones@example.org');
  await patient.screenshot({ path: 'screenshots/register-request-phone.png', fullPage: true });
  await patient.getByRole('button', { name: 'Send request' }).click();
  await expect(patient.getByRole('heading', { level: 1 })).toHaveText('Request sent');
  await patient.screenshot({ path: 'screenshots/register-request-sent-phone.png', fullPage: true });

  const desk = await staff.newPage();
  const deskErrors = watchForErrors(desk);
  await desk.goto('/admin');
  await desk.getByRole('link', { name: 'Online access requests' }).click();
  await expect(desk.getByRole('heading', { level: 1 })).toHaveText('Online access requests');
  await desk.screenshot({ path: 'screenshots/access-requests-phone.png', fullPage: true });
  await desk.getByRole('link', { name: 'Chloe Jones' }).click();
  await expect(desk.getByText('Matches Chloe Jones')).toBeVisible();
  await expect(desk.locator('body[data-hydrated]')).toHaveCount(1);
  await desk.getByRole('button', { name: 'Take this request' }).click();
  await expect(desk.getByRole('button', { name: 'Take this request' })).toHaveCount(0);
  await expect(desk.locator('.nhsuk-summary-list__row', { hasText: 'Handled by' })).toContainText('Rita Reception');
  await desk.getByRole('button', { name: 'Approve and issue letter' }).click();
  await expect(desk.locator('.nhsuk-error-summary')).toContainText('Select how you checked who the patient is');
  await desk.getByLabel('Photo ID seen').check();
  await desk.getByLabel('Identity details').fill('Passport');
  await desk.getByLabel('What you discussed').fill('What she will see, and keeping her password to herself.');
  await desk.locator('input[name="coercion"][value="no"]').check();
  await desk.locator('input[name="capacity"][value="no"]').check();
  await desk.screenshot({ path: 'screenshots/access-request-approve-phone.png', fullPage: true });
  await desk.getByRole('button', { name: 'Approve and issue letter' }).click();
  await expect(desk.getByRole('heading', { level: 1 })).toHaveText('Registration letter');
  const letter = desk.getByRole('article', { name: 'Registration letter' });
  const detail = async (key: string) => ((await letter.locator('.nhsuk-summary-list__row', { hasText: key }).locator('dd').textContent()) ?? '').trim();
  const [practiceId, accountId, linkageKey] = [await detail('Practice ID'), await detail('Account ID'), await detail('Linkage key')];
  expect(deskErrors).toEqual([]);

  await patient.goto('/activate');
  await expect(patient.locator('body[data-hydrated]')).toHaveCount(1);
  await patient.getByLabel('Practice ID').fill(practiceId);
  await patient.getByLabel('Account ID').fill(accountId);
  await patient.getByLabel('Linkage key').fill(linkageKey);
  await patient.getByLabel('Your date of birth').fill(details.date_of_birth_typed);
  await patient.getByLabel('Your email address').fill('chloe.jones@example.org');
  await patient.getByLabel('Choose a password').fill('chloe chose this password');
  await patient.getByLabel('Type your password again').fill('chloe chose this password');
  await patient.getByRole('button', { name: 'Set up account' }).click();
  await expect(patient.getByText('Your account is set up.')).toBeVisible();
  await patient.getByLabel('Email address').fill('chloe.jones@example.org');
  await patient.getByLabel('Password').fill('chloe chose this password');
  await patient.getByRole('button', { name: 'Sign in' }).click();
  await expect(patient).toHaveURL(/\/home$/);
  await expect(patient.getByText('Chloe Jones').first()).toBeVisible();
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  await staff.close();
  await phone.close();
});

test('with self-registration switched off, the register page explains how to register at the surgery', async ({ browser }) => {
  const admin = await phoneContext(browser, 'admin', true);
  const settings = await admin.newPage();
  const setSelfRegistration = async (on: boolean) => {
    await settings.goto('/admin/settings/online-services');
    await expect(settings.locator('body[data-hydrated]')).toHaveCount(1);
    await settings.getByLabel('Let patients ask for an account online').setChecked(on);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(settings.getByText('The settings are saved.')).toBeVisible();
  };
  await setSelfRegistration(false);
  try {
    const phone = await phoneContext(browser, 'anonymous', false);
    const page = await phone.newPage();
    await page.goto('/register');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Register for online services');
    await expect(page.getByText('This practice does not take requests on its website')).toBeVisible();
    await expect(page.getByText('Go to the surgery with photo ID')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send request' })).toHaveCount(0);
    await page.screenshot({ path: 'screenshots/register-at-the-surgery-phone.png', fullPage: true });
    await phone.close();
  } finally {
    await setSelfRegistration(true);
    await admin.close();
  }
});
