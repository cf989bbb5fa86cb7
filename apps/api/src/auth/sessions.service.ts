import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SessionUser } from './current-user';
import { hashOpaqueToken, newOpaqueToken } from './session-token';

/** A session signed in through the identity provider: what a back-channel logout names it by. */
export interface SsoOrigin {
  issuer: string;
  subject: string;
  sid: string | null;
}

// Writing last_seen_at on every request would make each read a write; a minute is precise enough.
const TOUCH_AFTER_MS = 60_000;

@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    userId: string,
    ip: string,
    userAgent: string | undefined,
    sso: SsoOrigin | null = null,
    manager: EntityManager = this.db.manager,
  ): Promise<{ token: string; expiresAt: Date }> {
    const { token, hash } = newOpaqueToken();
    const expiresAt = new Date(Date.now() + this.config.session.absoluteHours * 3600_000);
    await manager.query(
      `INSERT INTO sessions (id_hash, user_id, expires_at, ip, user_agent, auth_method, oidc_issuer, oidc_subject, oidc_sid)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        hash,
        userId,
        expiresAt,
        ip,
        userAgent?.slice(0, 300) ?? null,
        sso ? 'oidc' : 'password',
        sso?.issuer ?? null,
        sso?.subject ?? null,
        sso?.sid?.slice(0, 255) ?? null,
      ],
    );
    return { token, expiresAt };
  }

  /** The session's user, or null when the id is unknown, idle too long or past its absolute expiry. */
  async resolve(token: string): Promise<SessionUser | null> {
    const hash = hashOpaqueToken(token);
    const rows: Array<{
      id: string;
      email: string;
      is_staff: boolean;
      mfa_enabled: boolean;
      last_seen_at: Date;
      expires_at: Date;
      session_id: string;
      auth_method: 'password' | 'oidc';
    }> = await this.db.query(
      `SELECT u.id, u.email, u.is_staff, s.last_seen_at, s.expires_at, s.id AS session_id, s.auth_method,
              EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) AS mfa_enabled
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    const now = Date.now();
    const idleLimit = row.last_seen_at.getTime() + this.config.session.idleMinutes * 60_000;
    if (now >= row.expires_at.getTime() || now >= idleLimit) {
      await this.destroy(token);
      return null;
    }
    if (now - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
      await this.db.query(`UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1`, [hash]);
    }
    return {
      id: row.id,
      email: row.email,
      isStaff: row.is_staff,
      mfaEnabled: row.mfa_enabled,
      sessionHash: hash,
      sessionId: row.session_id,
      signedInWithSso: row.auth_method === 'oidc',
    };
  }

  /**
   * A new cookie value for the same session after a privilege change (two-factor sign-in turned on),
   * so a value captured before it is worth nothing after. Null when the session is gone.
   */
  async rotate(oldHash: Buffer): Promise<{ token: string; expiresAt: Date } | null> {
    const { token, hash } = newOpaqueToken();
    const [rows]: [Array<{ expires_at: Date }>, number] = await this.db.query(
      `UPDATE sessions SET id_hash = $2 WHERE id_hash = $1 RETURNING expires_at`,
      [oldHash, hash],
    );
    return rows[0] ? { token, expiresAt: rows[0].expires_at } : null;
  }

  async destroy(token: string): Promise<void> {
    await this.db.query(`DELETE FROM sessions WHERE id_hash = $1`, [hashOpaqueToken(token)]);
  }

  /** Every session of the user, this one included; how many there were. */
  async destroyAllForUser(userId: string): Promise<number> {
    const [, ended]: [unknown[], number] = await this.db.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
    return ended;
  }

  async destroyByHash(hash: Buffer): Promise<void> {
    await this.db.query(`DELETE FROM sessions WHERE id_hash = $1`, [hash]);
  }

  async purgeExpired(): Promise<number> {
    const idle = `${this.config.session.idleMinutes} minutes`;
    const result: [unknown[], number] = await this.db.query(
      `DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - $1::interval`,
      [idle],
    );
    return result[1];
  }
}
