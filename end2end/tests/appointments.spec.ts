import { test, expect } from '@playwright/test';
import { findPatients, phoneContext, test_base_url, watchForErrors } from './support/page-checks';

for (const javaScript of [true, false]) {
  test(`a patient finds, books, sees and cancels an appointment on a phone (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
    const context = await phoneContext(browser, 'patient', javaScript);
    const page = await context.newPage();
    const errors = watchForErrors(page, { javaScript });
    await page.goto('/appointments');
    if (javaScript) await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    await page.getByRole('link', { name: 'Book an appointment' }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Book an appointment');
    await expect(page.getByRole('heading', { name: 'What is the appointment for?' })).toBeVisible();
    await page.screenshot({ path: `screenshots/appointments-type-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    await page.getByRole('link', { name: /GP appointment, 10 minutes/ }).click();
    await expect(page).toHaveURL(/slot_type=/);
    await expect(page.getByRole('heading', { name: 'Choose a day' })).toBeVisible();
    await page.screenshot({ path: `screenshots/appointments-find-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    await page.locator('.gp-time').first().click();

    await expect(page.getByRole('heading', { name: 'Check your appointment' })).toBeVisible();
    await expect(page.getByText('GP appointment, 10 minutes')).toBeVisible();
    await page.screenshot({ path: `screenshots/appointments-check-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    await page.getByRole('button', { name: 'Confirm and book' }).click();
    await expect(page.getByRole('heading', { name: 'Appointment booked' })).toBeVisible();
    await page.screenshot({ path: `screenshots/appointments-booked-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });

    const when = (await page.locator('.nhsuk-panel__body').textContent())?.trim() ?? '';
    const confirmation = page.url();
    await page.getByRole('link', { name: 'Back to your appointments' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your appointments');
    await expect(page.getByRole('link', { name: when })).toBeVisible();
    await page.screenshot({ path: `screenshots/appointments-list-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    await page.goto(confirmation);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your appointment');
    await page.getByRole('button', { name: 'Cancel this appointment' }).click();
    await expect(page.getByText('Your appointment is cancelled.')).toBeVisible();
    expect(errors).toEqual([]);
    await context.close();
  });
}

test('a receptionist books a patient in by telephone, then cancels it when they call back', async ({ browser }) => {
  const base = test_base_url();
  const context = await phoneContext(browser, 'receptionist', true);
  const found = await findPatients(context, 'Finn Brown');
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(`/admin/patients/${found[0].id}`);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await page.getByRole('link', { name: 'Appointments' }).last().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Appointments');
  await page.getByRole('link', { name: 'Book an appointment' }).click();
  for (let day = 0; day < 7 && (await page.locator('.gp-slot a').count()) === 0; day += 1) {
    await page.getByRole('link', { name: 'Next day' }).click();
    await page.waitForLoadState('networkidle');
  }
  await page.screenshot({ path: 'screenshots/reception-free-slots-phone.png', fullPage: true });
  await page.locator('.gp-slot a').first().click();
  await page.getByRole('button', { name: 'Book appointment' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Choose how the patient asked');
  await page.getByLabel('By telephone').check();
  await page.getByRole('button', { name: 'Book appointment' }).click();
  await expect(page.getByText('Booked. The patient has been emailed.')).toBeVisible();
  await page.screenshot({ path: 'screenshots/reception-booked-phone.png', fullPage: true });

  await page.getByText('Cancel this appointment').first().click();
  await page.getByLabel('By telephone').first().check();
  await page.getByRole('button', { name: 'Cancel appointment' }).first().click();
  await expect(page.getByText('Cancelled. The patient has been emailed.')).toBeVisible();
  expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  await context.close();
});

test('a slot booked on one phone leaves the list on another phone without a reload, and comes back when cancelled', async ({ browser }) => {
  const watching = await phoneContext(browser, 'patient', true);
  const booking = await phoneContext(browser, 'patient2', true);
  const watcher = await watching.newPage();
  const errors = watchForErrors(watcher);
  await watcher.goto('/appointments/book');
  await expect(watcher.locator('body[data-hydrated]')).toHaveCount(1);
  await watcher.getByRole('link', { name: /GP appointment, 10 minutes/ }).click();
  await expect(watcher).toHaveURL(/slot_type=/);
  await expect(watcher.locator('[data-live="listening"]')).toHaveCount(1);
  const href = (await watcher.locator('.gp-time').first().getAttribute('href')) ?? '';
  const slot = watcher.locator(`.gp-time[href="${href}"]`);
  await expect(slot).toBeVisible();
  // Marks this page: a reload would lose the mark.
  await watcher.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  const booker = await booking.newPage();
  await booker.goto(href);
  await booker.getByRole('button', { name: 'Confirm and book' }).click();
  await expect(booker.getByRole('heading', { name: 'Appointment booked' })).toBeVisible();

  await expect(slot).toBeHidden({ timeout: 5000 });
  await expect(watcher.getByRole('status').filter({ hasText: 'has just been booked by someone else' })).toHaveCount(1);
  await watcher.screenshot({ path: 'screenshots/live-slot-taken-phone.png', fullPage: true });

  await booker.getByRole('button', { name: 'Cancel this appointment' }).click();
  await expect(booker.getByText('Your appointment is cancelled.')).toBeVisible();
  await expect(slot).toBeVisible({ timeout: 5000 });
  expect(await watcher.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(errors).toEqual([]);
  await watching.close();
  await booking.close();
});
