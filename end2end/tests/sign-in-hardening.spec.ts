import { test, expect, type Page } from '@playwright/test';
import { DEMO, PHONE, watchForErrors } from './support/page-checks';
import { newPracticeSetupLink } from './support/setup-link';
import { codeAt, freshCode } from './support/totp';

async function typePassword(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

for (const javaScript of [true, false]) {
  test(`staff sign in with a code from their authenticator app (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: javaScript });
    const page = await context.newPage();
    const errors = watchForErrors(page, { javaScript });
    await typePassword(page, DEMO.receptionist.email, DEMO.receptionist.password);
    await expect(page).toHaveURL(/\/sign-in\/two-factor$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter your security code');

    // Nothing in the admin area opens before the second step.
    const early = await context.request.get('/admin');
    expect(early.status()).toBe(401);

    await page.getByLabel('Security code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('.nhsuk-error-summary')).toContainText('The code is not right');
    await page.screenshot({ path: `screenshots/two-factor-refused-phone-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });

    await page.getByLabel('Security code').fill(await freshCode(DEMO.receptionist.email));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Practice admin');
    expect(errors.filter((e) => !e.includes('422') && !e.includes('401'))).toEqual([]);
    await context.close();
  });
}

test('a patient is locked out after five wrong passwords and told when to try again', async ({ page }) => {
  const email = 'second.patient@riverside.example';
  await page.goto('/sign-in');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  for (let attempt = 1; attempt <= 4; attempt++) {
    await typePassword(page, email, `wrong password ${attempt}`);
    await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter a correct email address and password');
  }
  await typePassword(page, email, 'wrong password 5');
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toContainText('locked for 15 minutes');
  await expect(summary).toContainText(/Try again after \d{1,2}:\d{2}(am|pm) \(UK time\)/);
  await page.screenshot({ path: 'screenshots/sign-in-locked-phone.png', fullPage: true });

  // The right password is refused too while the lock lasts.
  await typePassword(page, email, 'demo-patient-2');
  await expect(summary).toContainText('locked for 15 minutes');
  await expect(page).toHaveURL(/\/sign-in$/);
});

for (const javaScript of [true, false]) {
  test(`a new member of staff sets up an authenticator app from the QR code and gets recovery codes (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
    const { link, email } = newPracticeSetupLink();
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: javaScript });
    const page = await context.newPage();
    const errors = watchForErrors(page, { javaScript });
    await page.goto(new URL(link).pathname);
    await page.getByLabel('Password', { exact: true }).fill('moor lane manager password');
    await page.getByLabel('Type your password again').fill('moor lane manager password');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your password is saved');

    await typePassword(page, email, 'moor lane manager password');
    await expect(page).toHaveURL(/\/sign-in\/set-up-two-factor$/);
    await expect(page.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg')).toBeVisible();
    await page.screenshot({ path: `screenshots/set-up-two-factor-phone-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    const secret = (await page.locator('.gp-secret').textContent()) ?? '';
    await page.getByLabel('Security code').fill(codeAt(secret, Math.floor(Date.now() / 30_000)));
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Save your recovery codes');
    await expect(page.locator('.gp-recovery-codes li')).toHaveCount(10);
    await page.screenshot({ path: `screenshots/recovery-codes-phone-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    await page.getByRole('link', { name: 'Continue to the admin area' }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Practice admin');
    expect(errors).toEqual([]);
    await context.close();
  });
}
