#!/usr/bin/env node
// The live-update benchmark (`make bench-live`): how soon a booking made
// through one app server reaches a screen watching another, with both on one
// PostgreSQL database (the hub on the second server is woken by NOTIFY).
//
// On a fresh demo database it starts two release servers, opens the demo
// patient's live slot list on server B, and has the demo receptionist book
// slots through server A, one after another. For each booking it measures
// from sending the booking to the `taken` event arriving on B's stream, and
// prints p50, p95 and the longest against the goal (1 second). It fails if
// any event does not arrive at all within 15 seconds.
//
// Settings (environment): BENCH_BOOKINGS (50), BENCH_SERVER (target/release/server).

import http from 'node:http';
import {
  DEMO,
  formBody,
  freshDatabase,
  ms,
  percentile,
  request,
  runMain,
  serverCommand,
  setting,
  signIn,
  startServer,
} from './bench-lib.mjs';

const BOOKINGS = setting('BENCH_BOOKINGS', 50);
const GOAL_MS = 1000;
const LOST_MS = 15_000;

/** Opens the live slot list and calls `heard(slotId)` for each `taken` event. */
function openStream(port, cookie, heard) {
  return new Promise((opened, failed) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/live/slots', headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return failed(new Error(`the stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').find((line) => line.startsWith('data:'));
          if (!data) continue;
          try {
            const parsed = JSON.parse(data.slice(5));
            if (parsed.change === 'taken') heard(parsed.slot);
          } catch {
            /* a keep-alive or a reload */
          }
        }
      });
      opened(() => req.destroy());
    });
    req.on('error', failed);
    req.end();
  });
}

async function main() {
  console.log(`\n== Live update benchmark: ${BOOKINGS} bookings through server A, watched on server B (PostgreSQL) ==`);
  const db = await freshDatabase('postgres');
  await serverCommand({ DATABASE_URL: db.url }, ['seed-demo'], { json: false });
  const a = await startServer(db.url, db.dir, { DEFAULT_PRACTICE: 'Y12345' });
  const b = await startServer(db.url, `${db.dir}`, { DEFAULT_PRACTICE: 'Y12345' });
  const reception = await signIn(a.port, DEMO.receptionist, true);
  const watcher = await signIn(b.port, DEMO.patient, false);
  if (!reception || !watcher) throw new Error('a demo sign-in failed');

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const origin = `http://127.0.0.1:${a.port}`;
  const call = async (method, path, fields) => {
    const headers = { cookie: reception, origin, 'content-type': 'application/x-www-form-urlencoded' };
    const answer = await request(agent, a.port, method, path, { headers, body: fields && formBody(fields) });
    if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
    return answer.body ? JSON.parse(answer.body) : null;
  };
  // Registered patients to book for, a different one each time.
  const patients = [];
  for (const name of ['Brown', 'Smith', 'Jones', 'Taylor', 'Williams', 'Wilson', 'Evans', 'Patel', 'Khan', 'Davies']) {
    for (const p of await call('POST', '/api/admin/patients/search', { q: name })) {
      if (p.status === 'Registered' && !patients.includes(p.id)) patients.push(p.id);
    }
  }
  // Free slots from tomorrow on.
  const slots = [];
  for (let ahead = 1; slots.length < BOOKINGS && ahead <= 28; ahead += 1) {
    const day = new Date(Date.now() + ahead * 86_400_000).toISOString().slice(0, 10);
    const free = await call('GET', `/api/admin/appointments/free?patient_id=${patients[0]}&day=${day}`);
    slots.push(...free.slots.map((s) => s.id));
  }
  if (slots.length < BOOKINGS || patients.length === 0) {
    throw new Error(`found ${slots.length} free slots and ${patients.length} patients for ${BOOKINGS} bookings`);
  }

  const waiting = new Map();
  const close = await openStream(b.port, watcher, (slot) => waiting.get(slot)?.(performance.now()));
  const times = [];
  const lost = [];
  for (let i = 0; i < BOOKINGS; i += 1) {
    const slot = slots[i];
    const arrived = new Promise((done) => {
      waiting.set(slot, done);
      setTimeout(() => done(null), LOST_MS);
    });
    const sent = performance.now();
    await call('POST', '/api/admin/appointments/book', {
      patient_id: String(patients[i % patients.length]),
      slot_id: String(slot),
      route: 'telephone',
    });
    const at = await arrived;
    if (at === null) lost.push(slot);
    else times.push(at - sent);
  }
  close();
  await a.stop();
  await b.stop();

  console.log(`  events heard on B:  ${times.length} of ${BOOKINGS}`);
  console.log(
    `  booking on A to event on B: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, ` +
      `longest ${ms(Math.max(...times))} (goal: ${GOAL_MS} ms)`,
  );
  console.log(`  goal ${Math.max(...times) <= GOAL_MS ? 'met' : 'NOT met'}: every event within ${GOAL_MS} ms`);
  if (lost.length > 0) throw new Error(`${lost.length} events never arrived, e.g. slot ${lost[0]}`);
}

await runMain(main);
