import { test, expect, type Browser } from '@playwright/test';
import { accessibilityViolations, phoneContext, test_base_url, watchForErrors } from './support/page-checks';

/**
 * The practice takes new messages at any hour and without a daily cap for
 * these tests, whenever they run; and no other urgent conversation is open,
 * so a new urgent one is first in the inbox.
 */
async function quietPracticeOpenAllDay(browser: Browser) {
  const base = test_base_url();
  const admin = await phoneContext(browser, 'admin', true);
  const current = await (await admin.request.post(`${base}/api/admin/settings/messages`, { headers: { origin: base } })).json();
  const allDay = '00:00-23:59';
  const form = {
    ...current,
    enabled: 'yes',
    practice_cap: '',
    patient_cap: '',
    monday: allDay,
    tuesday: allDay,
    wednesday: allDay,
    thursday: allDay,
    friday: allDay,
    saturday: allDay,
    sunday: allDay,
  };
  const saved = await admin.request.post(`${base}/api/admin/settings/messages/save`, { form, headers: { origin: base }, maxRedirects: 0 });
  expect(saved.status()).toBeLessThan(400);
  const open = await (await admin.request.get(`${base}/api/admin/messages?view=unassigned`)).json();
  for (const thread of open.threads.filter((t: { urgent: boolean }) => t.urgent)) {
    const closed = await admin.request.post(`${base}/api/admin/messages/close`, {
      form: { thread_id: String(thread.id), outcome: 'Handled by phone' },
      headers: { origin: base },
      maxRedirects: 0,
    });
    expect(closed.status()).toBeLessThan(400);
  }
  await admin.close();
}

test.beforeAll(async ({ browser }) => quietPracticeOpenAllDay(browser));

test('a patient sends a message with a red flag, confirms it, and sees the practice reply without reloading', async ({ browser }) => {
  const patientContext = await phoneContext(browser, 'patient', true);
  const patient = await patientContext.newPage();
  const errors = watchForErrors(patient);
  await patient.goto('/home');
  await expect(patient.locator('body[data-hydrated]')).toHaveCount(1);
  await patient.screenshot({ path: 'screenshots/patient-home-phone.png', fullPage: true });
  await patient.getByRole('link', { name: 'Messages', exact: true }).first().click();
  await expect(patient.getByRole('heading', { level: 1 })).toHaveText('Your messages');
  await patient.getByRole('link', { name: 'Send a message' }).click();
  await expect(patient.getByText('Messages are not for urgent help')).toBeVisible();
  await expect(patient.getByText('We aim to reply within 2 working days.')).toBeVisible();
  await patient.screenshot({ path: 'screenshots/message-before-phone.png', fullPage: true });
  await patient.getByRole('link', { name: 'Continue' }).click();

  await patient.getByRole('button', { name: 'Continue' }).click();
  await expect(patient.locator('.nhsuk-error-summary')).toContainText('Choose what your message is about');
  await expect(patient.locator('.nhsuk-error-summary')).toContainText('Enter your message');
  await patient.getByLabel('Something else').check();
  await patient.getByLabel('Subject').fill('Pain when I climb the stairs');
  await patient.getByLabel('Your message').fill('Since Monday I get chest pain when I climb the stairs at home. It stops when I sit down.');
  await patient.screenshot({ path: 'screenshots/message-write-phone.png', fullPage: true });
  await patient.getByRole('button', { name: 'Continue' }).click();

  await expect(patient.getByRole('heading', { name: 'Check your message' })).toBeVisible();
  await expect(patient.getByText('Your message mentions chest pain.')).toBeVisible();
  await expect(patient.getByText('Messages are not for urgent help')).toBeVisible();
  expect(await accessibilityViolations(patient), 'check your message, urgent').toEqual([]);
  await patient.screenshot({ path: 'screenshots/message-check-red-flag-phone.png', fullPage: true });
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(patient.locator('.nhsuk-error-summary')).toContainText('not about an emergency');
  await patient.getByLabel('My message is not about an emergency').check();
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(patient.getByRole('heading', { name: 'Message sent' })).toBeVisible();
  await expect(patient.locator('[data-live="listening"]')).toHaveCount(1);
  const thread = Number(new URL(patient.url()).pathname.split('/').pop());
  // Marks this page: a reload would lose the mark.
  await patient.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  const staffContext = await phoneContext(browser, 'receptionist', true);
  const staff = await staffContext.newPage();
  const staffErrors = watchForErrors(staff);
  await staff.goto('/admin/messages');
  const first = staff.locator('tbody tr').first();
  await expect(first).toContainText('Urgent');
  await expect(first).toContainText('Pain when I climb the stairs');
  await staff.screenshot({ path: 'screenshots/inbox-urgent-phone.png', fullPage: true });
  await first.getByRole('link', { name: 'Pain when I climb the stairs' }).click();
  await expect(staff).toHaveURL(new RegExp(`/admin/messages/${thread}$`));
  await expect(staff.getByText('The patient\'s message mentions: chest pain.')).toBeVisible();
  const answer = 'Please call 111 today so they can assess the pain; we have also booked you a call back from the GP.';
  await staff.getByLabel('Reply to the patient').fill(answer);
  await staff.getByRole('button', { name: 'Send reply' }).click();
  await expect(staff.getByText('Your reply is sent.')).toBeVisible();
  await staff.screenshot({ path: 'screenshots/conversation-staff-phone.png', fullPage: true });

  await expect(patient.getByText(answer)).toBeVisible({ timeout: 5000 });
  await expect(patient.getByRole('status').filter({ hasText: 'New messages are shown' })).toHaveCount(1);
  expect(await patient.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await patient.screenshot({ path: 'screenshots/conversation-patient-reply-phone.png', fullPage: true });
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  expect(staffErrors).toEqual([]);
  await patientContext.close();
  await staffContext.close();
});

test('without JavaScript a patient writes, changes, checks and sends a message, and markup in it stays text', async ({ browser }) => {
  const context = await phoneContext(browser, 'patient2', false);
  const page = await context.newPage();
  const errors = watchForErrors(page, { javaScript: false });
  await page.goto('/messages/new/write');
  await page.getByLabel('Test results').check();
  await page.getByLabel('Subject').fill('Blood test <b>results</b>');
  const body = 'Are my results back? <script>alert(1)</script> <img src=x onerror=alert(2)>';
  await page.getByLabel('Your message').fill(body);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Check your message' })).toBeVisible();
  await expect(page.getByText('Messages are not for urgent help')).toHaveCount(0);
  await page.getByRole('button', { name: 'Change your message' }).click();
  await expect(page.getByLabel('Your message')).toHaveValue(body);
  await page.getByLabel('Subject').fill('Blood test <b>results</b> from last week');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Blood test <b>results</b> from last week')).toBeVisible();
  await page.screenshot({ path: 'screenshots/message-check-no-js.png', fullPage: true });
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('heading', { name: 'Message sent' })).toBeVisible();
  await expect(page.getByText(body)).toBeVisible();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  await page.getByLabel('Reply').fill('One more thing: I am away next week.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByText('Your reply is sent.')).toBeVisible();
  await expect(page.getByText('One more thing: I am away next week.')).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();

  // What a browser without JavaScript shows on the check step passes axe too.
  const checked = await phoneContext(browser, 'patient2', true);
  await checked.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
  const again = await checked.newPage();
  await again.goto('/messages/new/write');
  await again.getByLabel('Test results').check();
  await again.getByLabel('Subject').fill('Blood test');
  await again.getByLabel('Your message').fill('I feel short of breath when I walk the dog.');
  await again.getByRole('button', { name: 'Continue' }).click();
  await expect(again.getByText('Your message mentions short of breath.')).toBeVisible();
  expect(await accessibilityViolations(again), 'check your message, without the app scripts').toEqual([]);
  await checked.close();
});
