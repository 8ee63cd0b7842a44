import { execFileSync } from 'node:child_process';

let made = 0;

/**
 * A new practice and its admin's set-up link, made the way an operator makes
 * them: `server create-practice` against the test server's database.
 */
export function newPracticeSetupLink(): { link: string; email: string } {
  made += 1;
  const suffix = `${Date.now() % 10000}`.padStart(4, '0') + `${made % 10}`;
  const email = `manager${suffix}@moorlane.example`;
  const output = execFileSync(
    '../target/release/server',
    ['create-practice', '--ods-code', `A${suffix}`, '--name', 'Moor Lane Surgery', '--admin-email', email, '--admin-name', 'Morgan Manager'],
    { encoding: 'utf8', env: { ...process.env, DATABASE_URL: 'sqlite://../target/e2e-data/gp-online.db', PUBLIC_URL: 'http://127.0.0.1:3100' } },
  );
  const link = output.trim().split('\n').pop() ?? '';
  if (!link.includes('/setup/')) throw new Error(`no set-up link in the output of create-practice: ${output}`);
  return { link, email };
}
