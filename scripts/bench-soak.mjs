#!/usr/bin/env node
// The soak benchmark (`make bench-soak`): node scripts/bench-soak.mjs sqlite|postgres
//
// On a fresh demo database it starts the release server, signs in the demo
// patient and the demo practice admin, finds every page each can reach by
// following the links of the pages they see, and then for a while requests
// those pages at random from many clients at once. It prints pages per
// second, latency, stalls (no complete `</html>` within 15 s) and answers
// with a 5xx status, and fails unless stalls and 5xx answers are both 0.
//
// Settings (environment): BENCH_CLIENTS (64), BENCH_SECONDS (60),
// BENCH_STALL_SECONDS (15), BENCH_SERVER (target/release/server).

import http from 'node:http';
import {
  DEMO,
  engineArgument,
  freshDatabase,
  ms,
  percentile,
  perSecond,
  request,
  runMain,
  serverCommand,
  setting,
  signIn,
  startServer,
  thousands,
} from './bench-lib.mjs';

const engine = engineArgument('bench-soak.mjs');
const CLIENTS = setting('BENCH_CLIENTS', 64);
const SECONDS = setting('BENCH_SECONDS', 60);
const STALL_MS = setting('BENCH_STALL_SECONDS', 15) * 1000;

/** Pages of one kind found by following links: at most this many with the same shape. */
const PER_SHAPE = 3;

/** A path's shape: numbers and dates stand for any. */
const shape = (path) => path.replace(/\d{4}-\d{2}-\d{2}/g, '{date}').replace(/\d+/g, '{n}');

/**
 * Every page a session reaches by following links from `start`: same site,
 * GET, no build files, nothing that signs out.
 */
async function crawl(port, cookie, start) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const found = new Set();
  const shapes = new Map();
  const queue = [...start];
  while (queue.length > 0 && found.size < 300) {
    const path = queue.shift();
    if (found.has(path)) continue;
    const count = shapes.get(shape(path)) ?? 0;
    if (count >= PER_SHAPE) continue;
    const answer = await request(agent, port, 'GET', path, { headers: { cookie } });
    if (answer.status !== 200 || !answer.body.includes('</html>')) continue;
    found.add(path);
    shapes.set(shape(path), count + 1);
    for (const [, href] of answer.body.matchAll(/href="(\/[^"#]*)"/g)) {
      const link = href.replaceAll('&amp;', '&');
      if (/^\/(pkg|assets|api|live)\//.test(link) || /sign-out|\.(css|js|wasm|svg|png|ico)$/.test(link)) continue;
      if (!found.has(link)) queue.push(link);
    }
  }
  agent.destroy();
  return [...found];
}

async function main() {
  console.log(`\n== Soak benchmark on ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${CLIENTS} clients for ${SECONDS} s ==`);
  const db = await freshDatabase(engine);
  await serverCommand({ DATABASE_URL: db.url }, ['seed-demo'], { json: false });
  const server = await startServer(db.url, db.dir, { DEFAULT_PRACTICE: 'Y12345' });
  const { port } = server;

  const patient = await signIn(port, DEMO.patient, false);
  const staff = await signIn(port, DEMO.admin, true);
  const patientPages = await crawl(port, patient, ['/', '/account', '/appointments', '/appointments/book']);
  const staffPages = await crawl(port, staff, ['/admin']);
  const pages = [
    ...patientPages.map((path) => ({ path, cookie: patient })),
    ...staffPages.map((path) => ({ path, cookie: staff })),
  ];
  if (patientPages.length < 4 || staffPages.length < 10) {
    throw new Error(`too few pages found (patient ${patientPages.length}, staff ${staffPages.length}): did sign-in work?`);
  }
  console.log(`pages: ${patientPages.length} a patient sees, ${staffPages.length} a practice admin sees`);

  const results = [];
  const deadline = performance.now() + SECONDS * 1000;
  const client = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (performance.now() < deadline) {
      const page = pages[Math.floor(Math.random() * pages.length)];
      const answer = await request(agent, port, 'GET', page.path, {
        headers: { cookie: page.cookie, 'accept-encoding': 'identity' },
        timeout: STALL_MS,
      });
      const complete = answer.body.includes('</html>');
      results.push({ path: page.path, status: answer.status, ms: answer.ms, stalled: !complete && answer.status < 300 });
    }
    agent.destroy();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - started) / 1000;
  const stopped = await server.stop();

  const times = results.map((r) => r.ms);
  const stalls = results.filter((r) => r.stalled || r.status === 0);
  const errors = results.filter((r) => r.status >= 500);
  const others = results.filter((r) => r.status >= 300 && r.status < 500);
  console.log(`  pages served:      ${thousands(results.length)} in ${seconds.toFixed(1)} s`);
  console.log(`  pages per second:  ${perSecond(results.length / seconds)}`);
  console.log(
    `  latency:           p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, ` +
      `p99 ${ms(percentile(times, 99))}, max ${ms(Math.max(...times))}`,
  );
  console.log(`  stalls:            ${stalls.length} (no complete </html> within ${STALL_MS / 1000} s)`);
  console.log(`  5xx answers:       ${errors.length}`);
  if (others.length > 0) console.log(`  other answers:     ${others.length} (e.g. ${others[0].status} for ${others[0].path})`);

  const problems = [];
  if (stalls.length > 0) problems.push(`${stalls.length} stalls, e.g. ${stalls[0].path}`);
  if (errors.length > 0) problems.push(`${errors.length} answers with 5xx, e.g. ${errors[0].status} for ${errors[0].path}`);
  if (others.length > 0) problems.push(`${others.length} pages did not answer 200 (did a session end?)`);
  if (stopped && stopped.code !== 0) problems.push(`the server stopped with ${JSON.stringify(stopped)}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  console.log('\nOK: no stalls, no 5xx answers');
}

await runMain(main);
