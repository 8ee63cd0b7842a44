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
// Between the phases every session is made as old as a real rush's: its
// patient signed in and was last seen a few minutes before the release.
//
// Settings (environment): BENCH_PATIENTS (2000), BENCH_SLOTS (200),
// BENCH_TWICE (50), BENCH_SIGN_IN_CONCURRENCY (8), BENCH_SESSION_AGE_MINUTES
// (5), BENCH_RAW_SECONDS (10), BENCH_RAW_CONCURRENCY (16), BENCH_SERVER
// (target/release/server).

import {
  engineArgument,
  formBody,
  freshDatabase,
  ms,
  perSecond,
  pool,
  request,
  runMain,
  serverCommand,
  setCookie,
  setting,
  sleep,
  spread,
  startServer,
  thousands,
} from './bench-lib.mjs';
import http from 'node:http';

const engine = engineArgument('bench-rush.mjs');
const PATIENTS = setting('BENCH_PATIENTS', 2000);
const SLOTS = setting('BENCH_SLOTS', 200);
const TWICE = Math.min(setting('BENCH_TWICE', 50), PATIENTS);
const SIGN_IN_CONCURRENCY = setting('BENCH_SIGN_IN_CONCURRENCY', 8);
const SESSION_AGE_MINUTES = setting('BENCH_SESSION_AGE_MINUTES', 5);
const RAW_SECONDS = setting('BENCH_RAW_SECONDS', 10);
const RAW_CONCURRENCY = setting('BENCH_RAW_CONCURRENCY', 16);
// Seconds from making the slots to releasing them: time to open every
// patient's connection first, as their browsers would have it open.
const RELEASE_LEAD_SECONDS = 20;

// ---------------------------------------------------------------- the run

async function main() {
  console.log(`\n== Rush benchmark on ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ==`);
  const db = await freshDatabase(engine);
  const env = { DATABASE_URL: db.url };

  let t = performance.now();
  const seeded = await serverCommand(env, ['bench-seed', '--patients', String(PATIENTS)]);
  console.log(`seeded ${thousands(seeded.patients)} patients with logins in ${ms(performance.now() - t)}`);

  const server = await startServer(db.url, db.dir, {
    DEFAULT_PRACTICE: 'B00001',
    // Each patient comes from an address of their own, as through a
    // reverse proxy (X-Forwarded-For): throttling and the audit trail
    // see 2,000 clients, not one.
    BEHIND_PROXY: 'true',
  });
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
    session.cookie = setCookie(answer, 'gp_session');
    if (answer.status === 0 || answer.status >= 400 || !session.cookie) {
      throw new Error(`sign-in as ${session.email} failed: status ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    signInTimes.push(answer.ms);
  });
  const signInSeconds = (performance.now() - t) / 1000;
  signInAgent.destroy();
  console.log(`  sign-ins:            ${thousands(signInTimes.length)} in ${signInSeconds.toFixed(1)} s`);
  console.log(`  sign-ins per second: ${perSecond(signInTimes.length / signInSeconds)}`);
  console.log(`  sign-in latency:     ${spread(signInTimes)}`);

  // Patients opened the booking page minutes before the release, as in a real rush.
  const aged = await serverCommand(env, ['bench-age-sessions', '--minutes', String(SESSION_AGE_MINUTES)]);
  console.log(`  ${thousands(aged.sessions)} sessions last seen ${SESSION_AGE_MINUTES} minutes before now`);

  // Phase 2: the release.
  const released = await serverCommand(env, ['bench-release', '--slots', String(SLOTS), '--lead-seconds', String(RELEASE_LEAD_SECONDS)]);
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

  const checked = await serverCommand(env, ['bench-check']);
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
  console.log(`  latency of bookings made: ${spread(booked.map((a) => a.answer.ms))} (the ${booked.length} that wrote)`);

  // The raw rate, on the same engine and disk, with the server stopped.
  const raw = await serverCommand(env, ['bench-raw-inserts', '--seconds', String(RAW_SECONDS), '--concurrency', String(RAW_CONCURRENCY)]);
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

await runMain(main);
