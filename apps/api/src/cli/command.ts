import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';

export interface CliContext {
  config: AppConfig;
  logger: Logger;
  /** Opens the database (embedded or DATABASE_URL) on first use. */
  db(): Promise<DataSource>;
  /** The same database's connection URL, password included: for PostgreSQL's own tools, never for output. */
  databaseUrl(): Promise<string>;
  out(line: string): void;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage?: string;
  run(args: string[], ctx: CliContext): Promise<void>;
}

/** How the CLI's own connections are named in pg_stat_activity, to tell them from the API's. */
export const CLI_APPLICATION_NAME = `messenger-vault-cli-${process.pid}`;

/** A command's failure that the user can fix; printed without a stack trace, exit code 1. */
export class CliError extends Error {}

export function parseFlags(
  args: string[],
  known: Record<string, 'string' | 'boolean'>,
): Record<string, string | boolean> {
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.replace(/^--/, '').split('=', 2) as [string, string | undefined];
    if (!arg.startsWith('--') || !(name in known))
      throw new CliError(
        `Unknown argument "${arg}". Known: ${
          Object.keys(known)
            .map((k) => `--${k}`)
            .join(', ') || 'none'
        }.`,
      );
    if (known[name] === 'boolean') flags[name] = true;
    else {
      const value = inline ?? args[++i];
      if (value === undefined || value.startsWith('--')) throw new CliError(`--${name} needs a value.`);
      flags[name] = value;
    }
  }
  return flags;
}
