import { test, expect } from '@playwright/test';
import { accessibilityViolations, phoneContext, watchForErrors } from './support/page-checks';

test('a patient orders two repeat medicines with a note; a clinician approves one, not the other with a reason and a message; the patient sees both timelines and the message without reloading', async ({ browser }) => {
  const patientContext = await phoneContext(browser, 'patient', true);
  const patient = await patientContext.newPage();
  const errors = watchForErrors(patient);
  await patient.goto('/prescriptions');
  await expect(patient.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(patient.getByText('Sertraline')).toHaveCount(0);
  await expect(patient.getByText('You can order it from').first()).toBeVisible();
  await patient.screenshot({ path: 'screenshots/prescriptions-list-phone.png', fullPage: true });
  await patient.getByRole('link', { name: 'Order repeat prescriptions' }).click();
  await expect(patient.getByRole('heading', { level: 1 })).toHaveText('Order repeat prescriptions');
  await patient.getByRole('button', { name: 'Continue' }).click();
  await expect(patient.locator('.nhsuk-error-summary')).toContainText('Choose at least one medicine');
  await patient.getByLabel('Amlodipine 5mg tablets').check();
  await patient.getByLabel('Levetiracetam 500mg tablets').check();
  await patient.getByLabel('A note for the practice (optional)').fill('I am going away on 20 December, so I need these before then.');
  await patient.getByLabel('Your pharmacy').fill('Riverside Pharmacy, 2 High Street');
  await patient.screenshot({ path: 'screenshots/prescriptions-order-phone.png', fullPage: true });
  await patient.getByRole('button', { name: 'Continue' }).click();
  await expect(patient.getByRole('heading', { name: 'Check your order' })).toBeVisible();
  expect(await accessibilityViolations(patient), 'check your order').toEqual([]);
  await patient.screenshot({ path: 'screenshots/prescriptions-check-phone.png', fullPage: true });
  await patient.getByRole('button', { name: 'Confirm and order' }).click();
  await expect(patient.getByRole('heading', { name: 'Request sent' })).toBeVisible();
  await expect(patient.locator('#live-requests[data-live="listening"]')).toHaveCount(1);
  // Marks this page: a reload would lose the mark.
  await patient.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  const gpContext = await phoneContext(browser, 'clinician', true);
  const gp = await gpContext.newPage();
  const gpErrors = watchForErrors(gp);
  await gp.goto('/admin/prescriptions');
  await gp.getByRole('link', { name: 'Amara Ahmed' }).last().click();
  await expect(gp.getByText('I am going away on 20 December')).toBeVisible();
  await expect(gp.getByText('Medication review due').first()).toBeVisible();
  await gp.screenshot({ path: 'screenshots/prescription-request-staff-phone.png', fullPage: true });
  await gp.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(gp.getByText('Saved. The patient is emailed')).toBeVisible();
  await expect(gp.getByText('Prescription issued')).toBeVisible();
  await gp.getByText('Do not approve').first().click();
  await gp.getByLabel('Why').selectOption('review_needed');
  await gp.getByLabel('What to tell the patient').fill('Your epilepsy review is due: please book it this week.');
  await gp.getByRole('button', { name: 'Do not approve' }).click();
  // The page as it stands after this decision (the saved notice is already there from the first).
  await expect(gp.getByText(/^Not approved: /)).toBeVisible();
  await expect(gp.getByRole('button', { name: 'Ready to collect' })).toBeVisible();
  const message = 'We have approved two weeks of Levetiracetam by phone to tide you over; collect it with the Amlodipine.';
  await gp.getByLabel('Message the patient').fill(message);
  await gp.getByRole('button', { name: 'Send message' }).click();
  await expect(gp.locator('.gp-message').filter({ hasText: 'tide you over' })).toBeVisible();
  await gp.screenshot({ path: 'screenshots/prescription-request-decided-staff-phone.png', fullPage: true });

  const latest = patient.locator('#live-requests .nhsuk-card').first();
  await expect(latest).toContainText('Amlodipine 5mg tablets: Prescription issued', { timeout: 5000 });
  await expect(latest).toContainText('Levetiracetam 500mg tablets: Not approved');
  await expect(latest).toContainText('Your epilepsy review is due');
  await expect(latest).toContainText('tide you over', { timeout: 5000 });
  await expect(latest.getByRole('link', { name: 'Reply to the practice' })).toBeVisible();
  expect(await patient.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await patient.screenshot({ path: 'screenshots/prescriptions-timelines-phone.png', fullPage: true });
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  expect(gpErrors).toEqual([]);
  await patientContext.close();
  await gpContext.close();
});

test('a practice admin makes ordering early a flag, not a block, and patients can then order it', async ({ browser }) => {
  const context = await phoneContext(browser, 'admin', false);
  const admin = await context.newPage();
  const errors = watchForErrors(admin, { javaScript: false });
  await admin.goto('/admin/settings/prescriptions');
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Prescription settings');
  await admin.getByLabel('How many days before a supply runs out patients can order').fill('40');
  await admin.getByRole('button', { name: 'Save prescription settings' }).click();
  await expect(admin.locator('.nhsuk-error-summary')).toContainText('Enter a whole number of days from 0 to 28');
  await admin.screenshot({ path: 'screenshots/prescription-settings-error-phone.png', fullPage: true });
  await admin.getByLabel('How many days before a supply runs out patients can order').fill('7');
  await admin.getByRole('group', { name: 'Ordered early' }).getByLabel(/^Flag/).check();
  await admin.getByRole('button', { name: 'Save prescription settings' }).click();
  await expect(admin.getByText('The prescription settings are saved.')).toBeVisible();
  await expect(admin.getByRole('group', { name: 'Ordered early' }).getByLabel(/^Flag/)).toBeChecked();

  const patientContext = await phoneContext(browser, 'patient', false);
  const patient = await patientContext.newPage();
  await patient.goto('/prescriptions/order');
  await expect(patient.getByLabel('Atorvastatin 20mg tablets')).toBeVisible();

  // Back as it was, for the other tests.
  await admin.getByRole('group', { name: 'Ordered early' }).getByLabel(/^Block/).check();
  await admin.getByRole('button', { name: 'Save prescription settings' }).click();
  await expect(admin.getByText('The prescription settings are saved.')).toBeVisible();
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  await patientContext.close();
  await context.close();
});
