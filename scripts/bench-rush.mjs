#!/usr/bin/env node
// The 08:00 rush benchmark (`make bench-rush`): node scripts/bench-rush.mjs sqlite|postgres
//
// On a fresh database (a temporary SQLite file, or a database of its own on
// TEST_POSTGRES_URL) it seeds 2,000 patients with logins, starts the release
// server, and then:
//   phase 1: signs every patient in (and 50 of them a second time, from a
//            second device), with a few sign-ins at a time: the Argon2 cost;
//   phase 2: at the instant 200 slots are released, fires every booking at
//            once over HTTP: each patient one slot of the 200 at random, the
//            50 twice at once from both sessions (different slots; the
//            practice allows one future appointment each);
// checks from the answers and from the database that no slot was booked
// twice and no patient holds more than allowed, and compares the booking
// rate with the raw rate of single-row committed insert transactions on the
// same engine and disk. Exits non-zero when a check fails.
//
// Settings (environment): BENCH_PATIENTS (2000), BENCH_SLOTS (200),
// BENCH_TWICE (50), BENCH_SIGN_IN_CONCURRENCY (8), BENCH_RAW_SECONDS (10),
// BENCH_RAW_CONCURRENCY (16), BENCH_SERVER (target/release/server).

import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import http from 'node:http';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const setting = (name, fallback) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return n;
};

const engine = process.argv[2];
if (engine !== 'sqlite' && engine !== 'postgres') {
  console.error('usage: node scripts/bench-rush.mjs sqlite|postgres');
  process.exit(2);
}
const PATIENTS = setting('BENCH_PATIENTS', 2000);
const SLOTS = setting('BENCH_SLOTS', 200);
const TWICE = Math.min(setting('BENCH_TWICE', 50), PATIENTS);
const SIGN_IN_CONCURRENCY = setting('BENCH_SIGN_IN_CONCURRENCY', 8);
const RAW_SECONDS = setting('BENCH_RAW_SECONDS', 10);
const RAW_CONCURRENCY = setting('BENCH_RAW_CONCURRENCY', 16);
const SERVER = resolve(root, process.env.BENCH_SERVER || 'target/release/server');
// Seconds from making the slots to releasing them: time to open every
// patient's connection first, as their browsers would have it open.
const RELEASE_LEAD_SECONDS = 20;
const REQUEST_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------- clean-up

const cleanups = [];
/** The running server's log, shown when the run fails (the folder is removed). */
let serverLog = null;
let cleaning = null;
function cleanUp() {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`clean-up: ${error.message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    cleanUp().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- helpers

const ms = (n) => `${n.toFixed(0)} ms`;
const perSecond = (n) => `${n.toFixed(1)}/s`;
const thousands = (n) => n.toLocaleString('en-GB');
const sleep = (t) => new Promise((done) => setTimeout(done, t));

/** Nearest-rank percentile of a list of numbers. */
function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const spread = (values) =>
  `p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}, p99 ${ms(percentile(values, 99))}`;

/** Runs a `server` command and returns the JSON line it prints last. */
async function serverCommand(env, ...args) {
  try {
    const { stdout } = await run(SERVER, args, {
      cwd: root,
      env: { ...process.env, ...env, RUST_LOG: 'warn' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
    if (!line) throw new Error(`printed no result:\n${stdout}`);
    return JSON.parse(line);
  } catch (error) {
    throw new Error(`server ${args.join(' ')} failed: ${(error.stderr || error.message).trim()}`);
  }
}

async function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * One HTTP request; resolves to { status, headers, body, ms } (never rejects:
 * a request without an answer has status 0 and the error in `body`).
 */
function request(agent, port, method, path, { headers = {}, body } = {}) {
  return new Promise((done) => {
    const started = performance.now();
    const finish = (status, responseHeaders, text) =>
      done({ status, headers: responseHeaders, body: text, started, ms: performance.now() - started });
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => finish(res.statusCode, res.headers, Buffer.concat(chunks).toString()));
        res.on('error', (error) => finish(0, {}, error.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error) => finish(0, {}, error.message));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** Runs `work` on every item, `limit` at a time. */
async function pool(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}

// ---------------------------------------------------------------- the database

async function freshDatabase() {
  // The temporary folder holds the server's log, and the SQLite file: on this
  // machine it is on the same disk as PostgreSQL's data. The raw insert run
  // uses the same database.
  const dir = mkdtempSync(join(tmpdir(), 'gp-bench-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  if (engine === 'sqlite') return { url: `sqlite://${join(dir, 'bench.db')}`, dir };
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) throw new Error('TEST_POSTGRES_URL is not set: run `make bench-rush`, or set it to a PostgreSQL admin URL');
  const name = `gp_bench_${process.pid}`;
  const psql = (sql) =>
    run('psql', [admin, '-qAtc', sql]).catch((error) => {
      throw new Error(`psql ${JSON.stringify(sql)}: ${(error.stderr || error.message).trim()}`);
    });
  await psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await psql(`CREATE DATABASE ${name}`);
  cleanups.push(() => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), dir };
}

// ---------------------------------------------------------------- the server

async function startServer(databaseUrl, dir) {
  const port = await freePort();
  const logPath = join(dir, 'server.log');
  serverLog = logPath;
  const log = openSync(logPath, 'a');
  const server = spawn(SERVER, ['serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      DEFAULT_PRACTICE: 'B00001',
      LEPTOS_ENV: 'PROD',
      // Each patient comes from an address of their own, as through a
      // reverse proxy (X-Forwarded-For): throttling and the audit trail
      // see 2,000 clients, not one.
      BEHIND_PROXY: 'true',
      SMTP_URL: '',
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited = null;
  const gone = new Promise((done) => server.on('exit', (code, signal) => done((exited = { code, signal }))));
  const stop = async () => {
    if (exited) return exited;
    server.kill('SIGTERM');
    const result = await Promise.race([gone, sleep(40_000).then(() => null)]);
    if (!result) {
      server.kill('SIGKILL');
      return gone;
    }
    return result;
  };
  cleanups.push(stop);
  const agent = new http.Agent({ keepAlive: false });
  for (let tries = 0; ; tries++) {
    if (exited) {
      throw new Error(`the server stopped at start (${JSON.stringify(exited)}); its log:\n${readFileSync(logPath, 'utf8')}`);
    }
    const answer = await request(agent, port, 'GET', '/health');
    if (answer.status === 200) break;
    if (tries > 300) throw new Error(`the server did not answer /health in 60 s; its log is ${logPath}`);
    await sleep(200);
  }
  return { port, stop, logPath };
}

// ---------------------------------------------------------------- the run

function formBody(fields) {
  return new URLSearchParams(fields).toString();
}

async function main() {
  console.log(`\n== Rush benchmark on ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ==`);
  const db = await freshDatabase();
  const env = { DATABASE_URL: db.url };

  let t = performance.now();
  const seeded = await serverCommand(env, 'bench-seed', '--patients', String(PATIENTS));
  console.log(`seeded ${thousands(seeded.patients)} patients with logins in ${ms(performance.now() - t)}`);

  const server = await startServer(db.url, db.dir);
  const { port } = server;
  const origin = `http://127.0.0.1:${port}`;
  // A browser per session: its own address and its own connection.
  const address = (n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const sessions = seeded.emails.map((email, i) => ({ patient: i, email, address: address(i + 1) }));
  for (let i = 0; i < TWICE; i++) {
    sessions.push({ patient: i, email: seeded.emails[i], address: address(PATIENTS + i + 1), second: true });
  }

  // Phase 1: sign-ins, a few at a time.
  console.log(`\nphase 1: ${thousands(sessions.length)} sign-ins (${thousands(PATIENTS)} patients, ${TWICE} of them twice), ${SIGN_IN_CONCURRENCY} at a time`);
  const signInAgent = new http.Agent({ keepAlive: true, maxSockets: SIGN_IN_CONCURRENCY });
  const signInTimes = [];
  t = performance.now();
  await pool(sessions, SIGN_IN_CONCURRENCY, async (session) => {
    const answer = await request(signInAgent, port, 'POST', '/api/auth/sign-in', {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin,
        'x-forwarded-for': session.address,
      },
      body: formBody({ email: session.email, password: seeded.password }),
    });
    const cookie = [answer.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('gp_session='));
    if (answer.status === 0 || answer.status >= 400 || !cookie) {
      throw new Error(`sign-in as ${session.email} failed: status ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    session.cookie = cookie.split(';')[0];
    signInTimes.push(answer.ms);
  });
  const signInSeconds = (performance.now() - t) / 1000;
  signInAgent.destroy();
  console.log(`  sign-ins:            ${thousands(signInTimes.length)} in ${signInSeconds.toFixed(1)} s`);
  console.log(`  sign-ins per second: ${perSecond(signInTimes.length / signInSeconds)}`);
  console.log(`  sign-in latency:     ${spread(signInTimes)}`);

  // Phase 2: the release.
  const released = await serverCommand(env, 'bench-release', '--slots', String(SLOTS), '--lead-seconds', String(RELEASE_LEAD_SECONDS));
  const releaseAt = released.release_at_ms;
  const slotIds = released.slot_ids;
  console.log(`\nphase 2: ${thousands(slotIds.length)} slots released ${released.release_rule} (${released.release_at})`);
  const pick = () => slotIds[Math.floor(Math.random() * slotIds.length)];
  const attempts = sessions.map((session) => ({ session, slot: pick() }));
  // The second session of a patient books a different slot from the first.
  for (const attempt of attempts.filter((a) => a.session.second)) {
    const first = attempts.find((a) => a.session.patient === attempt.session.patient && !a.session.second);
    while (slotIds.length > 1 && attempt.slot === first.slot) attempt.slot = pick();
  }
  // Shuffled, so the second sessions are not all last in the queue.
  for (let i = attempts.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [attempts[i], attempts[j]] = [attempts[j], attempts[i]];
  }

  // Every session opens its connection shortly before the release, as a
  // browser showing the booking page has one open.
  await sleep(Math.max(0, releaseAt - Date.now() - 8000));
  for (const attempt of attempts) attempt.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await pool(attempts, 32, async (attempt) => {
    const answer = await request(attempt.agent, port, 'GET', '/health', { headers: { 'x-forwarded-for': attempt.session.address } });
    if (answer.status !== 200) throw new Error(`opening a connection failed: status ${answer.status}: ${answer.body}`);
  });
  if (Date.now() >= releaseAt) throw new Error('opening the connections took past the release; raise RELEASE_LEAD_SECONDS');
  console.log(`  ${thousands(attempts.length)} connections open; waiting ${((releaseAt - Date.now()) / 1000).toFixed(1)} s for the release`);

  // Fire at the release instant (plus a few ms, so no clock rounding lands before it).
  await sleep(Math.max(0, releaseAt - Date.now() - 50));
  while (Date.now() < releaseAt + 5) {
    /* spin the last few ms */
  }
  const fired = attempts.map((attempt) =>
    request(attempt.agent, port, 'POST', '/api/appointments/book', {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin,
        cookie: attempt.session.cookie,
        'x-forwarded-for': attempt.session.address,
      },
      body: formBody({ slot_id: String(attempt.slot) }),
    }).then((answer) => Object.assign(attempt, { answer, ended: answer.started + answer.ms })),
  );
  await Promise.all(fired);
  for (const attempt of attempts) attempt.agent.destroy();
  const firstSent = Math.min(...attempts.map((a) => a.answer.started));
  const lastAnswer = Math.max(...attempts.map((a) => a.ended));
  const rushSeconds = (lastAnswer - firstSent) / 1000;

  const byStatus = new Map();
  for (const { answer } of attempts) byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
  const booked = attempts.filter((a) => a.answer.status >= 200 && a.answer.status < 400);
  const failed = attempts.filter((a) => a.answer.status === 0 || a.answer.status >= 500);
  // From the answers: a slot two sessions were told they booked, or a patient told twice.
  const count = (list, key) => {
    const counts = new Map();
    for (const item of list) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return counts;
  };
  const answeredDoubles = [...count(booked, (a) => a.slot).values()].filter((n) => n > 1).length;
  const answeredOverruns = [...count(booked, (a) => a.session.patient).values()].filter((n) => n > seeded.max_future).length;

  const checked = await serverCommand(env, 'bench-check');
  const stopped = await server.stop();

  const doubles = Math.max(answeredDoubles, checked.double_booked_slots);
  const overruns = Math.max(answeredOverruns, checked.cap_overruns);
  const bookingRate = booked.length / rushSeconds;
  const latencies = attempts.map((a) => a.answer.ms);
  console.log(`  booking attempts:        ${thousands(attempts.length)} (${[...byStatus].sort().map(([s, n]) => `${n} × ${s || 'no answer'}`).join(', ')})`);
  console.log(`  bookings made:           ${thousands(booked.length)} (database: ${thousands(checked.booked)})`);
  console.log(`  double bookings found:   ${doubles} (answers: ${answeredDoubles}, database: ${checked.double_booked_slots})`);
  console.log(`  cap overruns found:      ${overruns} (answers: ${answeredOverruns}, database: ${checked.cap_overruns}; limit ${checked.cap} each)`);
  console.log(`  rush:                    ${rushSeconds.toFixed(2)} s from the first request sent to the last answer`);
  console.log(`  bookings per second:     ${perSecond(bookingRate)} (attempts answered: ${perSecond(attempts.length / rushSeconds)})`);
  console.log(`  booking latency:         ${spread(latencies)} (all attempts)`);

  // The raw rate, on the same engine and disk, with the server stopped.
  const raw = await serverCommand(env, 'bench-raw-inserts', '--seconds', String(RAW_SECONDS), '--concurrency', String(RAW_CONCURRENCY));
  console.log(`\nraw single-row committed insert transactions (${raw.concurrency} concurrent, same engine, disk and settings):`);
  console.log(`  raw inserts per second:  ${perSecond(raw.per_second)} (${thousands(raw.inserts)} in ${raw.seconds.toFixed(1)} s)`);
  console.log(`  booking rate ÷ raw rate: ${(bookingRate / raw.per_second).toFixed(3)}`);
  // Every attempt, refused or not, runs the booking transaction.
  console.log(`  attempt rate ÷ raw rate: ${(attempts.length / rushSeconds / raw.per_second).toFixed(3)}`);

  const problems = [];
  if (doubles > 0) problems.push(`${doubles} double bookings`);
  if (overruns > 0) problems.push(`${overruns} patients over the limit`);
  if (failed.length > 0) problems.push(`${failed.length} attempts failed (5xx or no answer), e.g. ${failed[0].answer.status}: ${failed[0].answer.body.slice(0, 200)}`);
  if (booked.length !== checked.booked) problems.push(`${booked.length} bookings answered but ${checked.booked} in the database`);
  if (stopped && stopped.code !== 0) problems.push(`the server stopped with ${JSON.stringify(stopped)}; its log: ${server.logPath}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  console.log('\nOK: no double bookings, no cap overruns');
}

try {
  await main();
  await cleanUp();
} catch (error) {
  console.error(`\nFAILED: ${error.message}`);
  if (serverLog) {
    try {
      const lines = readFileSync(serverLog, 'utf8').trimEnd().split('\n');
      console.error(`\nthe server's log, last lines:\n${lines.slice(-30).join('\n')}`);
    } catch {
      /* no log yet */
    }
  }
  await cleanUp();
  process.exit(1);
}
