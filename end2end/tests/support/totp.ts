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
 * and the server accepts the current step and one either side. Waits for the
 * next step when those are used up.
 */
export async function freshCode(email: string, secret = DEMO_TOTP_SECRET): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 30_000);
    const steps = readSteps();
    const step = Math.max(now, (steps[email] ?? -1) + 1);
    if (step <= now + 1) {
      writeFileSync(STEPS_FILE, JSON.stringify({ ...steps, [email]: step }));
      return codeAt(secret, step);
    }
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 200));
  }
}
