import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { type Browser } from '@playwright/test';
import { checkPage, findPatients, phoneContext, test_base_url, type Who } from './support/page-checks';
import { newPracticeSetupLink } from './support/setup-link';

/**
 * Every page route of the app, with an address to load it at, who loads it
 * and the heading it shows. `every route has a page test` fails when the app
 * gains a route that is missing here.
 */
type Url = string | ((browser: Browser) => string | Promise<string>);

/** The first demo patient's page in the staff area. */
async function patientPath(browser: Browser): Promise<string> {
  const staff = await phoneContext(browser, 'receptionist', true);
  const found = await findPatients(staff, 'Amara Ahmed');
  await staff.close();
  return `/admin/patients/${found[0].id}`;
}

/** The demo receptionist's page in the staff area. */
async function receptionistPath(browser: Browser): Promise<string> {
  const base = test_base_url();
  const admin = await phoneContext(browser, 'admin', true);
  const staff = await (await admin.request.post(`${base}/api/admin/staff`, { headers: { origin: base } })).json();
  await admin.close();
  return `/admin/staff/${staff.find((s: { email: string }) => s.email === 'reception@riverside.example').login_id}`;
}

/** Signs in as `who` and calls a server function (GET with a query, or POST), answering its JSON. */
async function call(browser: Browser, who: Who, path: string, method: 'GET' | 'POST' = 'POST'): Promise<any> {
  const base = test_base_url();
  const context = await phoneContext(browser, who, true);
  const response =
    method === 'GET' ? await context.request.get(`${base}${path}`) : await context.request.post(`${base}${path}`, { headers: { origin: base } });
  const body = await response.json();
  await context.close();
  return body;
}

/** The next weekday on or after today with sessions in the book, as 2026-11-23. */
async function nextWorkingDay(browser: Browser): Promise<string> {
  for (let ahead = 1; ahead <= 7; ahead += 1) {
    const day = new Date(Date.now() + ahead * 86_400_000).toISOString().slice(0, 10);
    const schedule = await call(browser, 'receptionist', `/api/admin/schedule/day?day=${day}`, 'GET');
    if (schedule.sessions.length > 0) return day;
  }
  throw new Error('no sessions in the coming week');
}

/** A demo patient's letter page, after the receptionist issues them a letter. */
async function letterPath(browser: Browser): Promise<string> {
  const base = test_base_url();
  const staff = await phoneContext(browser, 'receptionist', true);
  const found = await findPatients(staff, 'Jack Smith');
  const issued = await staff.request.post(`${base}/api/admin/patients/online-account/issue`, {
    form: { patient_id: String(found[0].id), identity_check: 'photo_id', identity_note: 'Driving licence', discussed: 'yes' },
    headers: { origin: base },
    maxRedirects: 0,
  });
  expect(issued.status()).toBeLessThan(400);
  await staff.close();
  return `/admin/patients/${found[0].id}/online-account/letter`;
}

/** The oldest demo request for online services waiting in the queue. */
async function requestPath(browser: Browser): Promise<string> {
  const queue = await call(browser, 'receptionist', '/api/admin/access-requests');
  return `/admin/access-requests/${queue.requests[0].id}`;
}

/** The find page's answer for the first type of appointment the demo patient may book. */
async function chosenType(browser: Browser): Promise<any> {
  const types = (await call(browser, 'patient', '/api/appointments/find', 'GET')).types;
  return call(browser, 'patient', `/api/appointments/find?slot_type=${types[0].id}`, 'GET');
}

/** The first demo patient's id. */
async function patientId(browser: Browser): Promise<number> {
  const staff = await phoneContext(browser, 'receptionist', true);
  const found = await findPatients(staff, 'Amara Ahmed');
  await staff.close();
  return found[0].id;
}

/** The demo patient's oldest conversation. */
async function threadId(browser: Browser): Promise<number> {
  const threads = await call(browser, 'patient', '/api/messages/mine');
  return threads[threads.length - 1].id;
}

const PAGES: Record<string, { url: Url; who: Who; heading: string | RegExp; status?: number }> = {
  '/': { url: '/', who: 'anonymous', heading: 'Online services at Riverside Medical Practice' },
  '/practices/{ods}': { url: '/practices/Y12345', who: 'anonymous', heading: 'Online services at Riverside Medical Practice' },
  '/sign-in': { url: '/sign-in', who: 'anonymous', heading: 'Sign in' },
  '/register': { url: '/register', who: 'anonymous', heading: 'Register for online services' },
  '/activate': { url: '/activate', who: 'anonymous', heading: 'Set up your account' },
  '/register/sent': { url: '/register/sent', who: 'anonymous', heading: 'Request sent' },
  '/admin/access-requests': { url: '/admin/access-requests', who: 'receptionist', heading: 'Online access requests' },
  '/admin/access-requests/{request}': { url: requestPath, who: 'receptionist', heading: 'Online access request' },
  '/admin/patients/{patient}/online-account': {
    url: async (browser) => `/admin/patients/${await patientId(browser)}/online-account`,
    who: 'receptionist',
    heading: 'Online account',
  },
  '/admin/patients/{patient}/online-account/letter': { url: letterPath, who: 'receptionist', heading: 'Registration letter' },
  '/admin/consider-access': { url: '/admin/consider-access', who: 'receptionist', heading: 'Consider online access' },
  '/admin/patients/{patient}/application-form': {
    url: async (browser) => `/admin/patients/${await patientId(browser)}/application-form`,
    who: 'receptionist',
    heading: 'Application for online services',
  },
  '/setup/{token}': { url: () => new URL(newPracticeSetupLink().link).pathname, who: 'anonymous', heading: 'Choose your password' },
  '/setup-complete': { url: '/setup-complete', who: 'anonymous', heading: 'Your password is saved' },
  '/sign-in/two-factor': { url: '/sign-in/two-factor', who: 'admin-password-only', heading: 'Enter your security code' },
  '/sign-in/set-up-two-factor': { url: '/sign-in/set-up-two-factor', who: 'new-admin-password-only', heading: 'Set up your authenticator app' },
  '/forgot-password': { url: '/forgot-password', who: 'anonymous', heading: 'Reset your password' },
  '/forgot-password/sent': { url: '/forgot-password/sent', who: 'anonymous', heading: 'Check your email' },
  // Reset links reach only the inbox (the outbox hides them), so this checks a spent or unknown link;
  // server/tests/integration/sign_in_hardening.rs goes through a real one.
  '/reset-password/{token}': { url: '/reset-password/0000', who: 'anonymous', heading: 'There is a problem', status: 409 },
  '/account': { url: '/account', who: 'patient', heading: 'Your account' },
  '/account/password': { url: '/account/password', who: 'patient', heading: 'Change your password' },
  '/admin': { url: '/admin', who: 'receptionist', heading: 'Practice admin' },
  '/admin/audit': { url: '/admin/audit', who: 'admin', heading: 'Audit trail' },
  '/admin/outbox': { url: '/admin/outbox', who: 'admin', heading: 'Outbox' },
  '/admin/sessions': { url: '/admin/sessions', who: 'admin', heading: 'Who is signed in' },
  '/admin/lockouts': { url: '/admin/lockouts', who: 'admin', heading: 'Locked sign-ins' },
  '/admin/patients': { url: '/admin/patients', who: 'receptionist', heading: 'Find a patient' },
  '/admin/patients/{patient}': { url: patientPath, who: 'receptionist', heading: 'Patient' },
  '/admin/patients/import': { url: '/admin/patients/import', who: 'admin', heading: 'Import patients' },
  '/admin/record/import': { url: '/admin/record/import', who: 'admin', heading: "Import patients' records" },
  '/admin/settings/online-services': { url: '/admin/settings/online-services', who: 'admin', heading: 'Online services settings' },
  '/admin/staff': { url: '/admin/staff', who: 'admin', heading: 'Staff' },
  '/admin/staff/invite': { url: '/admin/staff/invite', who: 'admin', heading: 'Invite a member of staff' },
  '/admin/staff/{login}': { url: receptionistPath, who: 'admin', heading: 'Member of staff' },
  '/appointments': { url: '/appointments', who: 'patient', heading: 'Your appointments' },
  '/appointments/book': { url: '/appointments/book', who: 'patient', heading: 'Book an appointment' },
  '/appointments/book/{slot}': {
    url: async (browser) => `/appointments/book/${(await chosenType(browser)).chosen.parts[0].slots[0].id}`,
    who: 'patient',
    heading: 'Book an appointment',
  },
  '/appointments/{appointment}': {
    url: async (browser) => `/appointments/${(await call(browser, 'patient', '/api/appointments/mine')).upcoming[0].id}`,
    who: 'patient',
    heading: 'Your appointment',
  },
  '/admin/schedule': { url: async (browser) => `/admin/schedule?day=${await nextWorkingDay(browser)}`, who: 'receptionist', heading: 'Appointment book' },
  '/admin/schedule/setup': { url: '/admin/schedule/setup', who: 'admin', heading: 'Clinicians and appointment types' },
  '/admin/schedule/slot-types/{slot_type}': {
    url: async (browser) => `/admin/schedule/slot-types/${(await call(browser, 'admin', '/api/admin/schedule/setup')).slot_types[0].id}`,
    who: 'admin',
    heading: 'Appointment type',
  },
  '/admin/schedule/rotas': { url: '/admin/schedule/rotas', who: 'admin', heading: 'Weekly rotas' },
  '/admin/schedule/sessions/new': { url: '/admin/schedule/sessions/new', who: 'admin', heading: 'Add a session' },
  '/admin/schedule/sessions/{session}': {
    url: async (browser) => {
      const day = await nextWorkingDay(browser);
      return `/admin/schedule/sessions/${(await call(browser, 'receptionist', `/api/admin/schedule/day?day=${day}`, 'GET')).sessions[0].id}`;
    },
    who: 'receptionist',
    heading: 'Session',
  },
  '/admin/booking-rules': { url: '/admin/booking-rules', who: 'admin', heading: 'Online booking rules' },
  '/home': { url: '/home', who: 'patient', heading: 'Home' },
  '/messages': { url: '/messages', who: 'patient', heading: 'Your messages' },
  '/messages/new': { url: '/messages/new', who: 'patient', heading: 'Send a message to the practice' },
  '/messages/new/write': { url: '/messages/new/write', who: 'patient', heading: 'Send a message to the practice' },
  '/messages/{thread}': { url: async (browser) => `/messages/${await threadId(browser)}`, who: 'patient', heading: 'Your message' },
  '/admin/messages': { url: '/admin/messages', who: 'receptionist', heading: 'Messages' },
  '/admin/messages/{thread}': { url: async (browser) => `/admin/messages/${await threadId(browser)}`, who: 'receptionist', heading: 'Conversation' },
  '/admin/settings/messages': { url: '/admin/settings/messages', who: 'admin', heading: 'Messaging settings' },
  '/admin/settings/prescriptions': { url: '/admin/settings/prescriptions', who: 'admin', heading: 'Prescription settings' },
  '/prescriptions': { url: '/prescriptions', who: 'patient', heading: 'Your prescriptions' },
  '/record': { url: '/record', who: 'patient', heading: 'Your record' },
  '/record/who-looked': { url: '/record/who-looked', who: 'patient', heading: 'Who has looked at your record' },
  '/record/sharing': { url: '/record/sharing', who: 'patient', heading: 'Sharing your record' },
  '/people': { url: '/people', who: 'patient', heading: 'Who are you acting for?' },
  '/people/give-access': { url: '/people/give-access', who: 'patient', heading: 'Give someone access' },
  '/prescriptions/order': { url: '/prescriptions/order', who: 'patient', heading: 'Order repeat prescriptions' },
  '/prescriptions/requests': { url: '/prescriptions/requests', who: 'patient', heading: 'Your prescription requests' },
  '/admin/prescriptions': { url: '/admin/prescriptions', who: 'receptionist', heading: 'Prescriptions' },
  '/admin/prescriptions/{request}': {
    url: async (browser) => `/admin/prescriptions/${(await call(browser, 'patient', '/api/prescriptions/requests'))[0].id}`,
    who: 'admin',
    heading: 'Prescription request',
  },
  '/admin/patients/{patient}/appointments': {
    url: async (browser) => `/admin/patients/${await patientId(browser)}/appointments`,
    who: 'receptionist',
    heading: 'Appointments',
  },
  '/admin/patients/{patient}/record': {
    url: async (browser) => `/admin/patients/${await patientId(browser)}/record`,
    who: 'clinician',
    heading: 'Record',
  },
  '/admin/proxies': { url: '/admin/proxies', who: 'receptionist', heading: 'Proxy access to review' },
  '/admin/settings/proxies': { url: '/admin/settings/proxies', who: 'admin', heading: 'Proxy access settings' },
  '/admin/dashboard': { url: '/admin/dashboard', who: 'admin', heading: 'Practice dashboard' },
  '/admin/problems': { url: '/admin/problems', who: 'receptionist', heading: 'Problems reported' },
  '/report-a-problem': { url: '/report-a-problem', who: 'patient', heading: 'Report a problem with this website' },
  '/admin/patients/{patient}/proxies/new': {
    url: async (browser) => `/admin/patients/${await patientId(browser)}/proxies/new`,
    who: 'receptionist',
    heading: 'Set up proxy access',
  },
  '/admin/patients/{patient}/book': {
    url: async (browser) => `/admin/patients/${await patientId(browser)}/book?day=${await nextWorkingDay(browser)}`,
    who: 'receptionist',
    heading: 'Book an appointment',
  },
  '/admin/patients/{patient}/book/{slot}': {
    url: async (browser) => {
      const [id, day] = [await patientId(browser), await nextWorkingDay(browser)];
      const free = await call(browser, 'receptionist', `/api/admin/appointments/free?patient_id=${id}&day=${day}`, 'GET');
      return `/admin/patients/${id}/book/${free.slots[0].id}`;
    },
    who: 'receptionist',
    heading: 'Book an appointment',
  },
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
    const url = typeof page.url === 'function' ? await page.url(browser) : page.url;
    const name = route === '/' ? 'home' : route.slice(1).replace(/[/{}]+/g, '-').replace(/-$/, '');
    await checkPage(browser, { url, name, who: page.who, heading: page.heading, status: page.status });
  });
}

test('the find page with a type chosen (its days and times) passes the checks', async ({ browser }) => {
  const chosen = (await chosenType(browser)).chosen;
  await checkPage(browser, {
    url: `/appointments/book?slot_type=${chosen.id}`,
    name: 'appointments-book-times',
    who: 'patient',
    heading: 'Book an appointment',
  });
});

test('the not-found page passes the checks', async ({ browser }) => {
  await checkPage(browser, { url: '/no/such/page', name: 'not-found', who: 'anonymous', heading: 'Page not found', status: 404 });
});
