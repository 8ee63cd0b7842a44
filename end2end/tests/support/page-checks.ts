import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { freshCode } from './totp';
import { newPracticeSetupLink } from './setup-link';

/** The WCAG 2.2 AA rule sets axe-core checks. */
export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const PHONE = { width: 390, height: 844 };

/** Demo sign-ins (README). */
export const DEMO = {
  patient: { email: 'patient@riverside.example', password: 'demo-patient-1' },
  patient2: { email: 'second.patient@riverside.example', password: 'demo-patient-2' },
  parent: { email: 'parent@riverside.example', password: 'demo-parent-1' },
  son: { email: 'son@riverside.example', password: 'demo-son-1' },
  receptionist: { email: 'reception@riverside.example', password: 'demo-reception-1' },
  clinician: { email: 'clinician@riverside.example', password: 'demo-clinician-1' },
  admin: { email: 'admin@riverside.example', password: 'demo-admin-pass-1' },
} as const;

/**
 * Who loads a page: a demo sign-in, nobody, or a member of staff who has
 * typed only their password (waiting for the second step).
 */
export type Who = keyof typeof DEMO | 'anonymous' | 'admin-password-only' | 'new-admin-password-only';

const STAFF: ReadonlyArray<Who> = ['receptionist', 'clinician', 'admin'];
/** Staff sessions, signed in once and shared: each TOTP code works only once. */
const staffCookies = new Map<Who, Awaited<ReturnType<BrowserContext['cookies']>>>();

/**
 * Collects console errors, uncaught exceptions and failed requests on a page.
 * A test expects the returned list to be empty at its end.
 *
 * Failed requests include subresources (stylesheet, scripts, images, server
 * function calls) answered with an error status.
 *
 * With JavaScript switched off, Chromium still sees the page's script and
 * module-preload tags and refuses them itself (reported as "csp"); those
 * refusals are what "JavaScript off" means, not failures of the app.
 */
export function watchForErrors(page: Page, options: { javaScript?: boolean } = {}): string[] {
  const javaScript = options.javaScript ?? true;
  const errors: string[] = [];
  page.on('console', (message) => {
    // A resource answered with an error status is reported below, from the
    // response itself (which knows whether it was a page fetched in place).
    const answeredWithError = message.text().startsWith('Failed to load resource: the server responded with a status of');
    if (message.type() === 'error' && !answeredWithError) errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown';
    const blockedScript = !javaScript && reason === 'csp' && ['script', 'fetch'].includes(request.resourceType());
    // Leaving a page cancels what it was still loading (net::ERR_ABORTED): the
    // browser's doing, not a failure of the app.
    const cancelledByNavigation = reason === 'net::ERR_ABORTED';
    if (!blockedScript && !cancelledByNavigation) errors.push(`request failed: ${request.url()} (${reason})`);
  });
  // A stylesheet, script, image or call the server answers with an error. A
  // page (a document, or a page fetched in place to swap in) is not: its
  // status is the page's (422 is a form answered with a problem to fix).
  page.on('response', (response) => {
    const type = response.request().resourceType();
    const inPlacePage = type === 'fetch' && (response.headers()['content-type'] ?? '').includes('text/html');
    if (response.status() >= 400 && type !== 'document' && !inPlacePage) {
      errors.push(`response ${response.status()}: ${response.url()}`);
    }
  });
  return errors;
}

/** A phone-sized context, signed in as `who` (through the real sign-in). */
export async function phoneContext(browser: Browser, who: Who, javaScript: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: javaScript });
  if (who === 'anonymous') return context;
  const cached = staffCookies.get(who);
  if (cached) {
    await context.addCookies(cached);
    return context;
  }
  const baseURL = test_base_url();
  const { email, password } =
    who === 'admin-password-only' ? DEMO.admin : who === 'new-admin-password-only' ? await newAdmin(context, baseURL) : DEMO[who];
  const response = await context.request.post(`${baseURL}/api/auth/sign-in`, {
    form: { email, password },
    headers: { origin: baseURL },
    maxRedirects: 0,
  });
  expect(response.status(), `sign-in as ${who}`).toBeLessThan(400);
  if (STAFF.includes(who)) {
    const second = await context.request.post(`${baseURL}/api/auth/two-factor`, {
      form: { code: await freshCode(email) },
      headers: { origin: baseURL },
      maxRedirects: 0,
    });
    expect(second.status(), `second step as ${who}`).toBeLessThan(400);
    staffCookies.set(who, await context.cookies());
  }
  return context;
}

/** A new practice's admin who has chosen a password but has no authenticator app yet. */
async function newAdmin(context: BrowserContext, baseURL: string): Promise<{ email: string; password: string }> {
  const { link, email } = newPracticeSetupLink();
  const token = new URL(link).pathname.split('/').pop() ?? '';
  const password = 'a long new admin password';
  const set = await context.request.post(`${baseURL}/api/account/setup`, {
    form: { token, password, confirm_password: password },
    headers: { origin: baseURL },
    maxRedirects: 0,
  });
  expect(set.status(), 'new admin sets a password').toBeLessThan(400);
  return { email, password };
}

export function test_base_url(): string {
  return process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3100';
}

/**
 * The checks every page passes, at phone size, with JavaScript on and off:
 * it loads with the expected status, shows its heading, has no WCAG 2.2 AA
 * violations (axe-core), no console errors and no failed requests; and a
 * screenshot of each is saved under screenshots/.
 */
/**
 * Staff find patients by name: the search is posted (never put in an address)
 * and answers the matching patients.
 */
export async function findPatients(context: BrowserContext, name: string): Promise<{ id: number; name: string }[]> {
  const base = test_base_url();
  const response = await context.request.post(`${base}/api/admin/patients/search`, { form: { q: name }, headers: { origin: base } });
  expect(response.status(), `search for ${name}`).toBe(200);
  return response.json();
}

export async function checkPage(
  browser: Browser,
  options: { url: string; name: string; who: Who; heading: string | RegExp; status?: number },
) {
  for (const javaScript of [true, false]) {
    const context = await phoneContext(browser, options.who, javaScript);
    const page = await context.newPage();
    const errors = watchForErrors(page, { javaScript });
    const response = await page.goto(options.url);
    expect(response?.status(), `${options.url} status`).toBe(options.status ?? 200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(options.heading);
    if (javaScript) {
      await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    }
    const suffix = javaScript ? 'js' : 'no-js';
    await page.screenshot({ path: `screenshots/${options.name}-phone-${suffix}.png`, fullPage: true });
    const violations = javaScript ? await accessibilityViolations(page) : await accessibilityViolationsWithoutScripts(browser, options);
    expect(violations, `${options.url} with JavaScript ${javaScript ? 'on' : 'off'}`).toEqual([]);
    // A page answered with an error status logs that status in the console; it is expected here.
    const unexpected = errors.filter((e) => !(options.status && e.includes(`status of ${options.status}`)));
    expect(unexpected, `${options.url} with JavaScript ${javaScript ? 'on' : 'off'}`).toEqual([]);
    await context.close();
  }
}

export async function accessibilityViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  return axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * axe-core runs as a script, which a page with JavaScript switched off cannot
 * run. So the page is loaded again with the app's own scripts refused: the
 * browser then shows exactly what it shows without JavaScript, and axe can
 * check it.
 */
async function accessibilityViolationsWithoutScripts(
  browser: Browser,
  options: { url: string; who: Who },
): Promise<string[]> {
  const context = await phoneContext(browser, options.who, true);
  await context.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto(options.url);
  const violations = await accessibilityViolations(page);
  await context.close();
  return violations;
}
