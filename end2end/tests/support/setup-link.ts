import { execFileSync } from 'node:child_process';

let made = 0;

/**
 * A new practice admin of the demo practice and their set-up link, made the
 * way an operator makes them: `server invite-staff` against the test
 * server's database.
 */
export function newPracticeSetupLink(): { link: string; email: string } {
  made += 1;
  const suffix = `${Date.now() % 100000}`.padStart(5, '0') + `${made}`;
  const email = `manager${suffix}@riverside.example`;
  const output = execFileSync(
    '../target/release/server',
    ['invite-staff', '--ods-code', 'Y12345', '--email', email, '--name', 'Morgan Manager', '--role', 'practice_admin'],
    { encoding: 'utf8', env: { ...process.env, DATABASE_URL: 'sqlite://../target/e2e-data/gp-online.db', PUBLIC_URL: 'http://127.0.0.1:3100' } },
  );
  const link = output.trim().split('\n').pop() ?? '';
  if (!link.includes('/setup/')) throw new Error(`no set-up link in the output of invite-staff: ${output}`);
  return { link, email };
}
