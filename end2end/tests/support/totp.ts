import { test } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The demo staff's authenticator secret (README). */
export const DEMO_TOTP_SECRET = 'GPONLINEDEMOSTAFFTOTPKEY';

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) for one time step. */
export function codeAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = digest[19] & 0x0f;
  const number = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(number % 1_000_000).padStart(6, '0');
}

/**
 * The last step used per email, in a file: Playwright starts a new worker
 * process after a failed test, and the server still remembers the steps the
 * old one used.
 */
const STEPS_FILE = join(tmpdir(), 'gp-online-e2e-totp-steps.json');

function readSteps(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(STEPS_FILE, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * A code the server has not yet seen for this email: each code works once,
 * and the server accepts the current step and one either side. When those
 * are used up, the next code is usable only once the clock reaches the next
 * step: that wait is added to the test's own time limit, so it cannot time
 * the test out.
 */
export async function freshCode(email: string, secret = DEMO_TOTP_SECRET): Promise<string> {
  const steps = readSteps();
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, (steps[email] ?? -1) + 1);
  writeFileSync(STEPS_FILE, JSON.stringify({ ...steps, [email]: step }));
  // The server takes a step once the clock is at most one step before it.
  const usableFrom = (step - 1) * 30_000;
  const wait = usableFrom - Date.now();
  if (wait > 0) {
    try {
      test.info().setTimeout(test.info().timeout + wait + 5_000);
    } catch {
      // Outside a test (a set-up step): nothing to extend.
    }
    while (Date.now() < usableFrom) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, usableFrom - Date.now() + 50)));
    }
  }
  return codeAt(secret, step);
}
