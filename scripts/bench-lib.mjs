// What the benchmarks share: settings, clean-up, figures, HTTP requests, a
// fresh database on either engine, and the release server on a free port.

import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import http from 'node:http';
import { promisify } from 'node:util';
import { createHmac } from 'node:crypto';

export const run = promisify(execFile);
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER = resolve(root, process.env.BENCH_SERVER || 'target/release/server');

/** A whole-number setting from the environment. */
export function setting(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return n;
}

/** `sqlite` or `postgres` from the command line, or a usage message. */
export function engineArgument(script) {
  const engine = process.argv[2];
  if (engine !== 'sqlite' && engine !== 'postgres') {
    console.error(`usage: node scripts/${script} sqlite|postgres`);
    process.exit(2);
  }
  return engine;
}

// ---------------------------------------------------------------- clean-up

const cleanups = [];
/** The running server's log, shown when the run fails (the folder is removed). */
let serverLog = null;
let cleaning = null;

export function onCleanUp(step) {
  cleanups.push(step);
}

export function cleanUp() {
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

/** Runs the benchmark, cleans up, and on failure prints the server's last log lines and exits 1. */
export async function runMain(main) {
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
}

// ---------------------------------------------------------------- figures

export const ms = (n) => `${n.toFixed(0)} ms`;
export const perSecond = (n) => `${n.toFixed(1)}/s`;
export const thousands = (n) => n.toLocaleString('en-GB');
export const sleep = (t) => new Promise((done) => setTimeout(done, t));

/** Nearest-rank percentile of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const spread = (values) =>
  `p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}, p99 ${ms(percentile(values, 99))}`;

// ---------------------------------------------------------------- requests

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
 * One HTTP request; resolves to { status, headers, body, started, ms } (never
 * rejects: a request without an answer has status 0 and the error in `body`,
 * and `timedOut` is set when it had no complete answer in `timeout` ms).
 */
export function request(agent, port, method, path, { headers = {}, body, timeout = 120_000 } = {}) {
  return new Promise((done) => {
    const started = performance.now();
    let timedOut = false;
    const finish = (status, responseHeaders, text) =>
      done({ status, headers: responseHeaders, body: text, started, ms: performance.now() - started, timedOut });
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => finish(res.statusCode, res.headers, Buffer.concat(chunks).toString()));
      res.on('error', (error) => finish(0, {}, error.message));
    });
    // The whole answer, not just the first byte, must come within the time.
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error(`no complete answer in ${timeout} ms`));
    }, timeout);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => finish(0, {}, error.message));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** Runs `work` on every item, `limit` at a time. */
export async function pool(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}

export function formBody(fields) {
  return new URLSearchParams(fields).toString();
}

/** The `name=value` pair of a cookie a response set, if any. */
export function setCookie(answer, name) {
  const cookie = [answer.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith(`${name}=`));
  return cookie?.split(';')[0];
}

// ---------------------------------------------------------------- the database

/** A temporary folder and a fresh database on `engine` (dropped at clean-up). */
export async function freshDatabase(engine) {
  // The temporary folder holds the server's log, and the SQLite file: on this
  // machine it is on the same disk as PostgreSQL's data.
  const dir = mkdtempSync(join(tmpdir(), 'gp-bench-'));
  onCleanUp(() => rmSync(dir, { recursive: true, force: true }));
  if (engine === 'sqlite') return { url: `sqlite://${join(dir, 'bench.db')}`, dir };
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) throw new Error('TEST_POSTGRES_URL is not set: run the make target, or set it to a PostgreSQL admin URL');
  const name = `gp_bench_${process.pid}`;
  const psql = (sql) =>
    run('psql', [admin, '-qAtc', sql]).catch((error) => {
      throw new Error(`psql ${JSON.stringify(sql)}: ${(error.stderr || error.message).trim()}`);
    });
  await psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await psql(`CREATE DATABASE ${name}`);
  onCleanUp(() => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), dir };
}

/** Runs a `server` command and returns the JSON line it prints last (or null with `json: false`). */
export async function serverCommand(env, args, { json = true } = {}) {
  try {
    const { stdout } = await run(SERVER, args, {
      cwd: root,
      env: { ...process.env, ...env, RUST_LOG: 'warn' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (!json) return null;
    const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
    if (!line) throw new Error(`printed no result:\n${stdout}`);
    return JSON.parse(line);
  } catch (error) {
    throw new Error(`server ${args.join(' ')} failed: ${(error.stderr || error.message).trim()}`);
  }
}

// ---------------------------------------------------------------- the server

/** Starts the release server on a free port; resolves once /health answers. */
export async function startServer(databaseUrl, dir, env = {}) {
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
      LEPTOS_ENV: 'PROD',
      SMTP_URL: '',
      ...env,
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
  onCleanUp(stop);
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

// ---------------------------------------------------------------- demo sign-ins

/** The demo practice's sign-ins (README, "Demo sign-ins"). */
export const DEMO = {
  patient: { email: 'patient@riverside.example', password: 'demo-patient-1' },
  receptionist: { email: 'reception@riverside.example', password: 'demo-reception-1' },
  admin: { email: 'admin@riverside.example', password: 'demo-admin-pass-1' },
};
/** The demo staff's authenticator key. */
const DEMO_TOTP_SECRET = 'GPONLINEDEMOSTAFFTOTPKEY';

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 key at a time. */
export function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Signs a demo login in (staff with a code from the demo key); resolves to the `gp_session=…` cookie. */
export async function signIn(port, who, staff) {
  const agent = new http.Agent({ keepAlive: false });
  const origin = `http://127.0.0.1:${port}`;
  const post = (path, fields, cookie) =>
    request(agent, port, 'POST', path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...(cookie ? { cookie } : {}) },
      body: formBody(fields),
    });
  const answer = await post('/api/auth/sign-in', { email: who.email, password: who.password });
  let session = setCookie(answer, 'gp_session');
  if (staff) {
    const pending = setCookie(answer, 'gp_pending');
    if (!pending) throw new Error(`staff sign-in gave no pending cookie: ${answer.status} ${answer.body.slice(0, 200)}`);
    const second = await post('/api/auth/two-factor', { code: totp(DEMO_TOTP_SECRET) }, pending);
    session = setCookie(second, 'gp_session');
  }
  if (!session) throw new Error(`sign-in as ${who.email} failed: ${answer.status} ${answer.body.slice(0, 200)}`);
  return session;
}
