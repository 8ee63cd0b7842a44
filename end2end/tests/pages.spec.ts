import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { checkPage, type Who } from './support/page-checks';
import { newPracticeSetupLink } from './support/setup-link';

/**
 * Every page route of the app, with an address to load it at, who loads it
 * and the heading it shows. `every route has a page test` fails when the app
 * gains a route that is missing here.
 */
const PAGES: Record<string, { url: string | (() => string); who: Who; heading: string | RegExp; status?: number }> = {
  '/': { url: '/', who: 'anonymous', heading: 'Online services at Riverside Medical Practice' },
  '/practices/{ods}': { url: '/practices/Y12345', who: 'anonymous', heading: 'Online services at Riverside Medical Practice' },
  '/sign-in': { url: '/sign-in', who: 'anonymous', heading: 'Sign in' },
  '/register': { url: '/register', who: 'anonymous', heading: 'Register for online services' },
  '/setup/{token}': { url: () => new URL(newPracticeSetupLink().link).pathname, who: 'anonymous', heading: 'Choose your password' },
  '/setup-complete': { url: '/setup-complete', who: 'anonymous', heading: 'Your password is saved' },
  '/account': { url: '/account', who: 'patient', heading: 'Your account' },
  '/account/password': { url: '/account/password', who: 'patient', heading: 'Change your password' },
  '/admin': { url: '/admin', who: 'receptionist', heading: 'Practice admin' },
  '/admin/audit': { url: '/admin/audit', who: 'admin', heading: 'Audit trail' },
  '/admin/outbox': { url: '/admin/outbox', who: 'admin', heading: 'Outbox' },
  '/admin/sessions': { url: '/admin/sessions', who: 'admin', heading: 'Who is signed in' },
};

test('every route has a page test', () => {
  const routes = execFileSync('../target/release/server', ['routes'], { encoding: 'utf8' }).trim().split('\n');
  const missing = routes.filter((route) => !(route in PAGES));
  const stale = Object.keys(PAGES).filter((route) => !routes.includes(route));
  expect(missing, 'routes without a page test').toEqual([]);
  expect(stale, 'page tests for routes that no longer exist').toEqual([]);
});

for (const [route, page] of Object.entries(PAGES)) {
  test(`page ${route} passes the checks with JavaScript on and off`, async ({ browser }) => {
    const url = typeof page.url === 'function' ? page.url() : page.url;
    const name = route === '/' ? 'home' : route.slice(1).replace(/[/{}]+/g, '-').replace(/-$/, '');
    await checkPage(browser, { url, name, who: page.who, heading: page.heading, status: page.status });
  });
}

test('the not-found page passes the checks', async ({ browser }) => {
  await checkPage(browser, { url: '/no/such/page', name: 'not-found', who: 'anonymous', heading: 'Page not found', status: 404 });
});
