import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CurrentUser, Membership } from '@messenger-vault/contracts';
import { APP_CONFIG, AppConfig } from '../config/config';
import { generatePassword, hashPassword } from '../auth/passwords';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  is_staff: boolean;
}

// Only one replica at a time may decide that no staff user exists yet.
const FIRST_STAFF_LOCK = 725_511_002;

@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async findByEmail(email: string, manager: EntityManager = this.db.manager): Promise<UserRow | null> {
    const rows: UserRow[] = await manager.query(
      `SELECT id, email, password_hash, is_staff FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0] ?? null;
  }

  async create(
    email: string,
    password: string,
    isStaff: boolean,
    manager: EntityManager = this.db.manager,
  ): Promise<string> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO users (email, password_hash, is_staff) VALUES ($1, $2, $3) RETURNING id`,
      [email.toLowerCase(), await hashPassword(password), isStaff],
    );
    return rows[0]!.id;
  }

  async setPassword(userId: string, password: string, manager: EntityManager = this.db.manager): Promise<void> {
    await manager.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [userId, await hashPassword(password)]);
  }

  async describe(userId: string): Promise<CurrentUser> {
    const users: Array<{ id: string; email: string; is_staff: boolean }> = await this.db.query(
      `SELECT id, email, is_staff FROM users WHERE id = $1`,
      [userId],
    );
    const user = users[0];
    if (!user) throw new Error(`user ${userId} vanished`);
    const memberships: Array<{ tenant_id: string; name: string; role: 'admin' }> = await this.db.query(
      `SELECT m.tenant_id, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
        WHERE m.user_id = $1 AND t.archived_at IS NULL ORDER BY t.name`,
      [userId],
    );
    return {
      id: user.id,
      email: user.email,
      isStaff: user.is_staff,
      memberships: memberships.map((m): Membership => ({ tenantId: m.tenant_id, tenantName: m.name, role: m.role })),
    };
  }

  /**
   * First start: when no staff user exists, create one from ADMIN_EMAIL / ADMIN_PASSWORD or
   * with a generated password, which is printed once (to stdout, not to the JSON log).
   */
  async ensureFirstStaff(print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [FIRST_STAFF_LOCK]);
      const existing: unknown[] = await tx.query(`SELECT 1 FROM users WHERE is_staff LIMIT 1`);
      if (existing.length) return;
      const email = this.config.adminEmail ?? 'admin@example.com';
      const generated = this.config.adminPassword === null;
      const password = this.config.adminPassword ?? generatePassword();
      const taken: unknown[] = await tx.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [email]);
      if (taken.length) {
        await tx.query(`UPDATE users SET is_staff = true WHERE lower(email) = lower($1)`, [email]);
        this.logger.log({ email }, 'promoted the existing user to staff, as no staff user existed');
        return;
      }
      await this.create(email, password, true, tx);
      this.logger.log({ email }, 'created the first staff user');
      if (generated) {
        print('');
        print('  First staff user created. This password is shown only once:');
        print(`    email:    ${email}`);
        print(`    password: ${password}`);
        print('  Set ADMIN_EMAIL and ADMIN_PASSWORD to choose them yourself.');
        print('');
      }
    });
  }

  async staffExists(): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM users WHERE is_staff LIMIT 1`);
    return rows.length > 0;
  }
}
