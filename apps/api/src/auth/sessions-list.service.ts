import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/errors';
import { canonicalUuid } from '../common/ids';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { SessionUser } from './current-user';
import { describeDevice, type DeviceDescription } from './user-agent';

export interface SessionView {
  id: string;
  device: DeviceDescription;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  signedInWith: 'password' | 'sso';
  current: boolean;
}

/**
 * The account's own sessions, seen and ended by their public id (decision 0049). Every query is
 * keyed by the signed-in user: another account's session id is a 404, as one that does not exist.
 */
@Injectable()
export class SessionsListService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(user: SessionUser): Promise<SessionView[]> {
    const rows: Array<{
      id: string;
      ip: string | null;
      user_agent: string | null;
      created_at: Date;
      last_seen_at: Date;
      auth_method: 'password' | 'oidc';
    }> = await this.db.query(
      `SELECT id, ip, user_agent, created_at, last_seen_at, auth_method FROM sessions
        WHERE user_id = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2)
        ORDER BY last_seen_at DESC, id LIMIT 200`,
      [user.id, this.config.session.idleMinutes],
    );
    return rows.map((row) => ({
      id: row.id,
      device: describeDevice(row.user_agent),
      ip: row.ip,
      createdAt: row.created_at.toISOString(),
      lastSeenAt: row.last_seen_at.toISOString(),
      signedInWith: row.auth_method === 'oidc' ? 'sso' : 'password',
      current: row.id === user.sessionId,
    }));
  }

  /** Signs out one of the user's own sessions (this one too, if named); 404 for anyone else's. */
  async end(user: SessionUser, rawId: string, context: AuditContext): Promise<{ current: boolean }> {
    const id = canonicalUuid(rawId);
    if (id === null) throw notFound('Session');
    return this.db.transaction(async (tx) => {
      const [gone]: [Array<{ id: string }>, number] = await tx.query(
        `DELETE FROM sessions WHERE id = $1 AND user_id = $2 RETURNING id`,
        [id, user.id],
      );
      if (gone.length === 0) throw notFound('Session');
      const current = id === user.sessionId;
      await this.audit.record(
        { ...context, action: 'auth.session.ended', target: { type: 'user', id: user.id }, metadata: { current } },
        tx,
      );
      return { current };
    });
  }

  /** "Sign out everywhere else": every session of the user but this one; how many ended. */
  async endOthers(user: SessionUser, context: AuditContext): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [, ended]: [unknown[], number] = await tx.query(`DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, [
        user.id,
        user.sessionId,
      ]);
      await this.audit.record(
        { ...context, action: 'auth.session.others_ended', target: { type: 'user', id: user.id }, metadata: { ended } },
        tx,
      );
      return ended;
    });
  }
}
