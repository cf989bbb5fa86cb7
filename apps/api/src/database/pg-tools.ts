import { spawn, spawnSync } from 'node:child_process';
import type { DataSource } from 'typeorm';
import { CliError } from '../cli/command';

/** The oldest client that reads what this project's servers write (docs/decisions/0011). */
const OLDEST_MAJOR = 15;

export type PgTool = 'pg_dump' | 'pg_restore';

export async function serverMajor(db: DataSource): Promise<number> {
  const [row]: Array<{ server_version_num: string }> = await db.query('SHOW server_version_num');
  return Math.floor(Number(row!.server_version_num) / 10_000);
}

/**
 * PostgreSQL's own tool from PATH, at least the server's major version (an older pg_dump refuses
 * a newer server). Missing or too old is one line saying what to install.
 */
export function findPgTool(tool: PgTool, major: number): string {
  const need = Math.max(major, OLDEST_MAJOR);
  const install =
    `on Debian or Ubuntu \`apt-get install postgresql-client-${need}\`, ` +
    `on macOS \`brew install libpq\` and put its bin directory on PATH`;
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8', env: process.env });
  if (probe.error || probe.status !== 0)
    throw new CliError(`${tool} (PostgreSQL ${need} or newer) is not on PATH; install it: ${install}.`);
  const found = Number(/\s(\d+)(?:\.\d+)?/.exec(probe.stdout)?.[1]);
  if (!(found >= need))
    throw new CliError(
      `${tool} on PATH is PostgreSQL ${found || 'unknown'}; this server needs ${need} or newer: ${install}.`,
    );
  return tool;
}

/**
 * Runs a tool against the database without the password on its command line (where `ps` shows
 * it): the URL goes without it, the password through PGPASSWORD.
 */
export async function runPgTool(tool: string, args: string[], url?: string): Promise<void> {
  const target = url ? new URL(url) : null;
  const password = target ? decodeURIComponent(target.password) : '';
  if (target) target.password = '';
  const child = spawn(tool, [...(target ? [`--dbname=${target.toString()}`] : []), ...args], {
    env: { ...process.env, PGPASSWORD: password },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('close', resolve);
  });
  if (code !== 0) {
    const reason = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ') || `exit ${code}`;
    throw new CliError(`${tool} failed: ${reason.replace(/postgres(ql)?:\/\/[^@\s]*@/g, 'postgres://***@')}`);
  }
}
