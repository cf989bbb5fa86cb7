import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDatabase, OpenDatabase } from '../bootstrap/database';
import { ConfigError, loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { CLI_APPLICATION_NAME, CliContext, CliError } from './command';
import { COMMANDS } from './commands';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: npm run cli -- <command> [arguments]',
    '',
    'Commands:',
    ...COMMANDS.map(
      (c) => `  ${c.name.padEnd(width)}${c.summary}${c.usage ? `\n  ${''.padEnd(width)}  ${c.usage}` : ''}`,
    ),
    '',
    'Configuration comes from the environment (see .env.example). Commands never prompt.',
  ].join('\n');
}

export async function runCli(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  if (args.includes('--help')) {
    out(
      `${command.name}: ${command.summary}${command.usage ? `\nUsage: npm run cli -- ${command.name} ${command.usage}` : ''}`,
    );
    return 0;
  }
  let opened: OpenDatabase | null = null;
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
    const open = async () => (opened ??= await openDatabase(config, logger, { applicationName: CLI_APPLICATION_NAME }));
    const ctx: CliContext = {
      config,
      logger,
      out,
      db: async (): Promise<DataSource> => (await open()).dataSource,
      databaseUrl: async () => (await open()).url,
    };
    await command.run(args, ctx);
    return 0;
  } catch (err) {
    if (err instanceof CliError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    process.stderr.write(`${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await (opened as OpenDatabase | null)?.close();
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
