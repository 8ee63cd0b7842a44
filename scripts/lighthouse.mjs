#!/usr/bin/env node
// Lighthouse on patients' pages (`make lighthouse`): a phone as Lighthouse
// emulates one (mid-range device, throttled mobile network, its defaults),
// in Debian's Chromium, against the release server on a fresh demo database.
// Prints performance and accessibility for `/`, `/sign-in` and
// `/appointments/book` signed in, and fails below the goals (performance 95,
// accessibility 100).

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO, freshDatabase, root, runMain, serverCommand, signIn, startServer } from './bench-lib.mjs';

const run = promisify(execFile);
const lighthouse = join(root, 'scripts/lighthouse/node_modules/.bin/lighthouse');
const GOALS = { performance: 95, accessibility: 100 };

async function audit(url, cookie, dir, name) {
  const output = join(dir, `${name}.json`);
  const args = [
    url,
    '--only-categories=performance,accessibility',
    '--output=json',
    `--output-path=${output}`,
    '--quiet',
    '--chrome-flags=--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync',
  ];
  if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  await run(lighthouse, args, { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(readFileSync(output, 'utf8'));
  const score = (category) => Math.round((report.categories[category]?.score ?? 0) * 100);
  const metric = (id) => report.audits[id]?.displayValue ?? '';
  // A signed-in page that redirected to sign-in would score as sign-in.
  const landed = new URL(report.finalDisplayedUrl).pathname;
  if (landed !== new URL(url).pathname) throw new Error(`${url} ended on ${landed}`);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    fcp: metric('first-contentful-paint'),
    lcp: metric('largest-contentful-paint'),
    tbt: metric('total-blocking-time'),
    cls: metric('cumulative-layout-shift'),
  };
}

async function main() {
  const db = await freshDatabase('sqlite');
  await serverCommand({ DATABASE_URL: db.url }, ['seed-demo'], { json: false });
  const server = await startServer(db.url, db.dir, { DEFAULT_PRACTICE: 'Y12345' });
  const base = `http://127.0.0.1:${server.port}`;
  const patient = await signIn(server.port, DEMO.patient, false);
  const pages = [
    ['/', null],
    ['/sign-in', null],
    ['/appointments/book', patient],
  ];
  const rows = [];
  for (const [path, cookie] of pages) {
    rows.push({ path, ...(await audit(`${base}${path}`, cookie, db.dir, path.replace(/\W+/g, '-') || 'home')) });
  }
  await server.stop();
  console.log('\nLighthouse 12.8 (mobile emulation, simulated throttling), Debian Chromium:\n');
  console.log('| Page | Performance | Accessibility | First contentful paint | Largest contentful paint | Total blocking time | Layout shift |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| \`${r.path}\` | ${r.performance} | ${r.accessibility} | ${r.fcp} | ${r.lcp} | ${r.tbt} | ${r.cls} |`);
  }
  const short = rows.filter((r) => r.performance < GOALS.performance || r.accessibility < GOALS.accessibility);
  if (short.length > 0) {
    throw new Error(`below the goals (performance ${GOALS.performance}, accessibility ${GOALS.accessibility}): ${short.map((r) => r.path).join(', ')}`);
  }
  console.log(`\nOK: every page at least ${GOALS.performance} for performance and ${GOALS.accessibility} for accessibility`);
}

await runMain(main);
