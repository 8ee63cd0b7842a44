#!/usr/bin/env node
// What a phone downloads (`make size`): for each page, the bytes of its first
// load as served, compressed with brotli as every current phone browser
// accepts (the page's HTML, and the stylesheets, JavaScript and WebAssembly
// it asks for), for patients and for staff; then the twenty largest parts of
// the WebAssembly (twiggy, on the build before it was optimised, which still
// has names).
//
// Budgets: a patient page's first load at most 200 KB; a further patient page
// (its stylesheet and code cached) at most 40 KB; the patients' stylesheet at
// most 12 KB; and no patient page asks for the staff stylesheet. With
// --check, exits non-zero when a budget is exceeded (`make test` runs it).
// Needs the release build (`make build`).

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import {
  DEMO,
  freshDatabase,
  request,
  root,
  runMain,
  serverCommand,
  signIn,
  startServer,
} from './bench-lib.mjs';

const CHECK = process.argv.includes('--check');
const FIRST_LOAD_BUDGET = 200_000;
const FURTHER_PAGE_BUDGET = 40_000;
const STYLESHEET_BUDGET = 12_000;
const site = join(root, 'target/site');

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

/** The brotli copy's size of a build file the page asks for, by its address. */
function servedSize(address) {
  const file = join(site, address.replace(/^\//, ''));
  if (!existsSync(`${file}.br`)) throw new Error(`${address} has no brotli copy in ${site}: run make build`);
  return statSync(`${file}.br`).size;
}

/** The bytes of a page as sent to a browser accepting brotli. */
function compressedBytes(port, path, headers) {
  return new Promise((done, fail) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { ...headers, 'accept-encoding': 'br' } }, (res) => {
      if (res.headers['content-encoding'] !== 'br') fail(new Error(`${path} was not sent compressed`));
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => done(bytes));
    });
    req.on('error', fail);
  });
}

/** The build files a page's HTML asks for: stylesheets, the JavaScript and the WebAssembly. */
function assetsOf(html) {
  const found = new Set();
  for (const [, href] of html.matchAll(/<link[^>]+href="(\/pkg\/[^"]+\.(?:css|js|wasm))"/g)) found.add(href);
  return [...found];
}

async function main() {
  const db = await freshDatabase('sqlite');
  await serverCommand({ DATABASE_URL: db.url }, ['seed-demo'], { json: false });
  const server = await startServer(db.url, db.dir, { DEFAULT_PRACTICE: 'Y12345', LEPTOS_SITE_ROOT: site });
  const patient = await signIn(server.port, DEMO.patient, false);
  const staff = await signIn(server.port, DEMO.admin, true);
  const agent = new http.Agent({ keepAlive: true });
  const page = async (path, cookie) => {
    const headers = cookie ? { cookie } : {};
    const htmlBytes = await compressedBytes(server.port, path, headers);
    const plain = await request(agent, server.port, 'GET', path, { headers: { ...headers, 'accept-encoding': 'identity' } });
    if (plain.status !== 200) throw new Error(`${path} answered ${plain.status}`);
    return { html: plain.body, htmlBytes };
  };

  const routes = [
    ['patient', '/', null],
    ['patient', '/sign-in', null],
    ['patient', '/register', null],
    ['patient', '/activate', null],
    ['patient', '/forgot-password', null],
    ['patient', '/account', patient],
    ['patient', '/appointments', patient],
    ['patient', '/appointments/book', patient],
    ['staff', '/admin', staff],
    ['staff', '/admin/patients', staff],
    ['staff', '/admin/schedule', staff],
    ['staff', '/admin/access-requests', staff],
    ['staff', '/admin/audit', staff],
  ];
  const rows = [];
  const problems = [];
  for (const [who, path, cookie] of routes) {
    const { html, htmlBytes } = await page(path, cookie);
    const assets = assetsOf(html);
    const sizes = Object.fromEntries(assets.map((a) => [a, servedSize(a)]));
    const of = (test) => assets.filter(test).reduce((sum, a) => sum + sizes[a], 0);
    const css = of((a) => a.endsWith('.css'));
    const js = of((a) => a.endsWith('.js'));
    const wasm = of((a) => a.endsWith('.wasm'));
    const total = htmlBytes + css + js + wasm;
    rows.push({ who, path, htmlBytes, css, js, wasm, total, staffSheet: assets.some((a) => a.includes('/staff.')) });
    if (who === 'patient') {
      if (total > FIRST_LOAD_BUDGET) problems.push(`${path}: first load ${kb(total)} is over ${kb(FIRST_LOAD_BUDGET)}`);
      if (htmlBytes > FURTHER_PAGE_BUDGET) problems.push(`${path}: as a further page ${kb(htmlBytes)} is over ${kb(FURTHER_PAGE_BUDGET)}`);
      if (assets.some((a) => a.includes('/staff.'))) problems.push(`${path}: a patient page asks for the staff stylesheet`);
      const sheet = assets.find((a) => a.endsWith('.css') && !a.includes('/staff.'));
      if (sheet && sizes[sheet] > STYLESHEET_BUDGET) problems.push(`the stylesheet is ${kb(sizes[sheet])}, over ${kb(STYLESHEET_BUDGET)}`);
    }
  }
  agent.destroy();
  await server.stop();

  console.log('\nFirst load of each page, as served (brotli):\n');
  console.log('| Who | Page | HTML | CSS | JS | WASM | First load | Further page |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.who} | \`${r.path}\` | ${kb(r.htmlBytes)} | ${kb(r.css)}${r.staffSheet ? ' (with staff)' : ''} | ${kb(r.js)} | ${kb(r.wasm)} | **${kb(r.total)}** | ${kb(r.htmlBytes)} |`,
    );
  }
  console.log(`\nBudgets: patient first load ${kb(FIRST_LOAD_BUDGET)}, further patient page ${kb(FURTHER_PAGE_BUDGET)}, stylesheet ${kb(STYLESHEET_BUDGET)}.`);

  if (!CHECK) twiggyTop();
  if (problems.length > 0) {
    const message = `over budget:\n  ${problems.join('\n  ')}`;
    if (CHECK) throw new Error(message);
    console.log(`\n${message}`);
  } else {
    console.log('All patient pages are within budget.');
  }
}

/** The twenty largest parts of the WebAssembly, before optimisation (with names). */
function twiggyTop() {
  const named = join(root, 'target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm');
  if (!existsSync(named)) return;
  console.log('\nLargest parts of the WebAssembly (twiggy top, before wasm-opt; names kept):\n');
  try {
    // The names and the bindings' description are sections the shipped file does not carry.
    const out = execFileSync('twiggy', ['top', '-n', '24', named], { encoding: 'utf8' });
    console.log(out.split('\n').filter((line) => !/function names|custom section/.test(line)).join('\n'));
  } catch (error) {
    console.log(`twiggy is not installed (make size installs it): ${error.message}`);
  }
}

await runMain(main);
