import { test, expect } from '@playwright/test';
import { accessibilityViolations, phoneContext, PHONE } from './support/page-checks';

/**
 * The practice dashboard at desktop and phone size: each chart is an image
 * named by its title and described in words, its figures are in a table,
 * each table downloads as CSV, and the page is axe clean.
 */
for (const size of [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: PHONE },
]) {
  test(`the dashboard's charts have text alternatives and tables, at ${size.name} size`, async ({ browser }) => {
    const context = await phoneContext(browser, 'clinician', true);
    const page = await context.newPage();
    await page.setViewportSize(size.viewport);
    await page.goto('/admin/dashboard');
    await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Practice dashboard');

    const charts = page.getByRole('img');
    await expect(charts).toHaveCount(2);
    await expect(page.getByRole('img', { name: 'Patients with an online account' })).toBeVisible();
    for (const chart of await charts.all()) {
      const description = await chart.evaluate((svg) => svg.querySelector('desc')?.textContent ?? '');
      expect(description).toMatch(/^From \w{3} \d{2} \(\d+\) to \w{3} \d{2} \(\d+\)\. Highest: \d+ in \w{3} \d{2}\.$/);
    }
    const months = page.getByRole('region', { name: "Each month's figures" });
    await expect(months.getByRole('row')).toHaveCount(14);
    const pomi = page.getByRole('link', { name: 'Download the month in the POMI shape (CSV)' });
    const response = await context.request.get(new URL((await pomi.getAttribute('href')) ?? '', page.url()).toString());
    expect(response.status()).toBe(200);
    expect((await response.text()).split('\r\n')[0]).toBe('Report_Period_End,Practice_Code,Practice_Name,Field,Value');

    await page.screenshot({ path: `screenshots/dashboard-${size.name}.png`, fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
}
