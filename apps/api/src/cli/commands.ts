import { randomBytes } from 'node:crypto';
import { auditVerifyCommand } from '../audit/audit-verify.command';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords';
import { isEmailAddress } from '../common/email';
import { BACKUP_COMMANDS } from '../database/backup.command';
import { runMigrations } from '../database/data-source';
import { remindersRunCommand } from '../rotation/reminders.command';
import { CliCommand, CliError, parseFlags } from './command';
import { VAULT_COMMANDS } from './vault-commands';

const migrate: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending database migrations (the API also does this at start).',
  async run(_args, ctx) {
    const db = await ctx.db();
    const applied = await runMigrations(db, (line) => ctx.out(line));
    ctx.out(
      applied.length ? `${applied.length} migration(s) applied.` : 'The database is up to date; nothing to apply.',
    );
  },
};

const migrationStatus: CliCommand = {
  name: 'migrate:status',
  summary: 'Show whether migrations are pending.',
  async run(_args, ctx) {
    const db = await ctx.db();
    ctx.out(
      (await db.showMigrations()) ? 'Migrations are pending: run `npm run migrate`.' : 'All migrations are applied.',
    );
  },
};

const createStaff: CliCommand = {
  name: 'users:create-staff',
  summary: 'Create a staff user, or make an existing user staff. Prints a generated password when none is given.',
  usage: '--email <email> [--password-env <VAR>]',
  async run(args, ctx) {
    const flags = parseFlags(args, { email: 'string', 'password-env': 'string' });
    const email = String(flags.email ?? '').toLowerCase();
    if (!isEmailAddress(email)) throw new CliError('--email must be an email address, like ops@salesmind.example.');
    // Passwords come from an environment variable, never argv, so they don't land in shell history.
    const fromEnv = flags['password-env'] ? process.env[String(flags['password-env'])] : undefined;
    if (flags['password-env'] && !fromEnv)
      throw new CliError(`Environment variable ${String(flags['password-env'])} is empty or unset.`);
    if (fromEnv && fromEnv.length < MIN_PASSWORD_LENGTH)
      throw new CliError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
    const password = fromEnv ?? randomBytes(24).toString('base64url');
    const db = await ctx.db();
    const [, updated]: [unknown, number] = await db.query(`UPDATE users SET is_staff = true WHERE lower(email) = $1`, [
      email,
    ]);
    if (updated) {
      ctx.out(`${email} already existed and is now staff; their password is unchanged.`);
      return;
    }
    await db.query(`INSERT INTO users (email, password_hash, is_staff) VALUES ($1, $2, true)`, [
      email,
      await hashPassword(password),
    ]);
    ctx.out(`Created staff user ${email}.`);
    if (!fromEnv) ctx.out(`Password (shown once): ${password}`);
  },
};

const purgeSessions: CliCommand = {
  name: 'sessions:purge',
  summary: 'Delete expired and idle sessions.',
  async run(_args, ctx) {
    const db = await ctx.db();
    const idle = `${ctx.config.session.idleMinutes} minutes`;
    const [, count]: [unknown, number] = await db.query(
      `DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - $1::interval`,
      [idle],
    );
    ctx.out(`Deleted ${count} expired session(s).`);
  },
};

/** Every operations command, in the order `--help` lists them. Later features add theirs here. */
export const COMMANDS: CliCommand[] = [
  migrate,
  migrationStatus,
  createStaff,
  purgeSessions,
  ...VAULT_COMMANDS,
  ...BACKUP_COMMANDS,
  auditVerifyCommand,
  remindersRunCommand,
];
