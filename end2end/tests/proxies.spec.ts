import { test, expect } from '@playwright/test';
import { phoneContext, watchForErrors } from './support/page-checks';

for (const javaScript of [true, false]) {
  test(`a parent switches between two children and books for one; the banner names the child on every page (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
    const context = await phoneContext(browser, 'parent', javaScript);
    const page = await context.newPage();
    const errors = watchForErrors(page, { javaScript });
    const banner = page.getByRole('region', { name: 'Who you are acting for' });

    await page.goto('/home');
    await expect(banner).toHaveCount(0);
    await page.getByRole('link', { name: 'Switch person' }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Who are you acting for?');
    await expect(page.getByRole('heading', { name: 'Maisie Jones' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Noah Jones' })).toBeVisible();
    await page.screenshot({ path: `screenshots/people-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });

    await page.getByRole('button', { name: 'Act for Maisie Jones' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
    await expect(banner).toContainText('Maisie Jones');
    await page.screenshot({ path: `screenshots/people-acting-home-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    // Her record would start with her own online account, which she has not got: no record link.
    for (const [link, heading] of [['Prescriptions', 'Your prescriptions'], ['Messages', 'Your messages'], ['Appointments', 'Your appointments']]) {
      await page.getByRole('navigation', { name: 'Your services' }).getByRole('link', { name: link, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
      await expect(banner, `${heading} names her`).toContainText('Maisie Jones');
    }

    // Book for Maisie.
    await page.getByRole('link', { name: 'Book an appointment' }).first().click();
    await page.getByRole('link', { name: /GP appointment, 10 minutes/ }).click();
    await expect(page.getByRole('heading', { name: 'Choose a day' })).toBeVisible();
    await page.locator('.gp-time').first().click();
    await expect(page.getByRole('heading', { name: 'Check your appointment' })).toBeVisible();
    await expect(banner).toContainText('Maisie Jones');
    await page.getByRole('button', { name: 'Confirm and book' }).click();
    await expect(page.getByRole('heading', { name: 'Appointment booked' })).toBeVisible();
    await expect(banner).toContainText('Maisie Jones');
    await page.screenshot({ path: `screenshots/people-booked-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    const confirmation = page.url();

    // Noah, who is 12: booking and repeats, not his record or messages.
    await banner.getByRole('link', { name: 'switch person' }).click();
    await page.getByRole('button', { name: 'Act for Noah Jones' }).click();
    await expect(banner).toContainText('Noah Jones');
    const nav = page.getByRole('navigation', { name: 'Your services' });
    await expect(nav.getByRole('link', { name: 'Appointments', exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Your record', exact: true })).toHaveCount(0);
    await nav.getByRole('link', { name: 'Appointments', exact: true }).click();
    await expect(banner).toContainText('Noah Jones');
    await page.screenshot({ path: `screenshots/people-noah-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });

    // Maisie's appointment is hers: cancelled as her, back in her name.
    await banner.getByRole('link', { name: 'switch person' }).click();
    await page.getByRole('button', { name: 'Act for Maisie Jones' }).click();
    await page.goto(confirmation);
    await page.getByRole('button', { name: 'Cancel this appointment' }).click();
    await expect(page.getByText('Your appointment is cancelled.')).toBeVisible();
    expect(errors).toEqual([]);
    await context.close();
  });
}

for (const javaScript of [true, false]) {
  test(`a patient gives a friend access, which waits until the practice approves it (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
    const friend = javaScript ? 'Sam Friend' : 'Alex Friend';
    const context = await phoneContext(browser, 'son', javaScript);
    const page = await context.newPage();
    const errors = watchForErrors(page, { javaScript });

    await page.goto('/people');
    await expect(page.getByRole('heading', { name: 'People who can act for you' })).toBeVisible();
    await page.getByRole('link', { name: 'Give someone access' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Give someone access');
    await page.getByRole('button', { name: 'Give access' }).click();
    await expect(page.getByRole('alert')).toContainText('There is a problem');
    await page.screenshot({ path: `screenshots/give-access-problems-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });

    await page.getByLabel('Their name').fill(friend);
    await page.getByLabel('Their email address').fill(`${friend.split(' ')[0].toLowerCase()}.friend@example.com`);
    await page.getByLabel('A family member or friend').check();
    await page.getByLabel('Order repeat prescriptions').check();
    await page.getByRole('button', { name: 'Give access' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Who are you acting for?');
    const card = page.locator('.nhsuk-card', { has: page.getByRole('heading', { name: friend }) });
    await expect(card).toContainText('waiting for the practice to approve it');
    await page.screenshot({ path: `screenshots/give-access-waiting-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });

    const staff = await phoneContext(browser, 'receptionist', javaScript);
    const desk = await staff.newPage();
    const staffErrors = watchForErrors(desk, { javaScript });
    await desk.goto('/admin/proxies');
    const row = desk.getByRole('row', { name: new RegExp(friend) });
    await expect(row).toContainText('Waiting for the practice to approve it');
    await desk.screenshot({ path: `screenshots/proxies-to-review-${javaScript ? 'js' : 'no-js'}.png`, fullPage: true });
    await row.getByRole('link', { name: 'Ben Nowak' }).click();
    // The grant's own card, by its id.
    const grant = () => desk.locator('[id^="proxy-"]', { has: desk.getByRole('heading', { name: new RegExp(friend) }) });
    await grant().getByRole('button', { name: 'Approve: the patient gave this access' }).click();
    await expect(grant()).toContainText('Active');
    await expect(grant().getByRole('button', { name: 'Approve: the patient gave this access' })).toHaveCount(0);

    await page.goto('/people');
    await expect(page.locator('.nhsuk-card', { has: page.getByRole('heading', { name: friend }) })).toContainText('Repeat prescriptions');
    expect(errors).toEqual([]);
    expect(staffErrors).toEqual([]);
    await staff.close();
    await context.close();
  });
}
