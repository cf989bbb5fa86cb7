import { Injectable } from '@nestjs/common';
import { DecryptionFailed, MalformedSealedSecret, type SecretValue } from '@messenger-vault/vault';
import type { CurrentUser } from '@messenger-vault/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditContext, userActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode, notFound } from '../common/errors';
import { UsersService } from '../users/users.service';
import { VaultKeyring } from '../vault/vault-keyring.service';
import type { SessionUser } from './current-user';
import { LoginThrottleService } from './login-throttle.service';
import { hashOpaqueToken, newOpaqueToken } from './session-token';
import { SessionsService } from './sessions.service';
import {
  hashRecoveryCode,
  matchTotpStep,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUrl,
} from './totp';
import { openTotpSecret, sealTotpSecret, type SealedTotpRow } from './totp-secret';

/**
 * A sealed secret that no longer opens (altered or copied row): a 409 naming the fix, never a
 * 500 and never "wrong code", which would send the person guessing into the throttle.
 */
async function openOr409(provider: Parameters<typeof openTotpSecret>[0], row: SealedTotpRow): Promise<SecretValue> {
  try {
    return await openTotpSecret(provider, row);
  } catch (err) {
    if (!(err instanceof DecryptionFailed) && !(err instanceof MalformedSealedSecret)) throw err;
    throw new DomainError(
      ErrorCode.SecretUndecryptable,
      'Your two-factor secret cannot be opened. Sign in with a recovery code, or ask a staff member to reset your two-factor sign-in.',
    );
  }
}

/** How long a correct password waits for its code before the sign-in starts over. */
export const MFA_CHALLENGE_SECONDS = 300;

export interface MfaClient {
  ip: string;
  userAgent: string | undefined;
  requestId?: string;
}

const requestOf = (client: MfaClient) => ({
  ip: client.ip,
  userAgent: client.userAgent ?? null,
  requestId: client.requestId ?? null,
});

type Account = Pick<SessionUser, 'id' | 'email' | 'isStaff'>;

const wrongCode = () =>
  new DomainError(
    ErrorCode.MfaCodeInvalid,
    'The code is incorrect or was already used. Enter the current 6-digit code from your authenticator app, or an unused recovery code.',
  );

/**
 * TOTP second factor (decision 0034). The secret is sealed by the vault and never leaves this
 * service except once, in the setup answer. A code's time step is stored when accepted, so it
 * (or an older one) never works twice; recovery codes are single-use SHA-256 hashes.
 */
@Injectable()
export class MfaService {
  constructor(
    private readonly db: DataSource,
    private readonly keyring: VaultKeyring,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    const rows: Array<{ has_mfa: boolean }> = await this.db.query(`SELECT user_has_mfa($1) AS has_mfa`, [userId]);
    return rows[0]?.has_mfa === true;
  }

  /** The second factors the account can sign in with (none: MFA is off). Passkeys: decision 0052. */
  async methods(userId: string): Promise<Array<'totp' | 'passkey'>> {
    const rows: Array<{ totp: boolean; passkey: boolean }> = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL) AS totp,
              EXISTS (SELECT 1 FROM user_passkeys WHERE user_id = $1) AS passkey`,
      [userId],
    );
    const row = rows[0];
    return [...(row?.totp ? (['totp'] as const) : []), ...(row?.passkey ? (['passkey'] as const) : [])];
  }

  /** A new pending secret (replacing an earlier pending one); TOTP stays off until `enable`. */
  async setup(user: Account, context: AuditContext): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = newTotpSecret();
    const sealed = await sealTotpSecret(this.keyring.provider, user.id, secret);
    await this.db.transaction(async (tx) => {
      await this.keyring.ensureRecorded(tx, sealed.masterKeyId);
      const rows: unknown[] = await tx.query(
        `INSERT INTO user_totp (id, user_id, ciphertext, iv, wrapped_key, master_key_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv,
           wrapped_key = EXCLUDED.wrapped_key, master_key_id = EXCLUDED.master_key_id, created_at = now()
           WHERE user_totp.enabled_at IS NULL
         RETURNING id`,
        [randomUUID(), user.id, sealed.ciphertext, sealed.iv, sealed.wrappedKey, sealed.masterKeyId],
      );
      if (rows.length === 0) {
        throw new DomainError(
          ErrorCode.Conflict,
          'Two-factor sign-in is already on. Turn it off first (DELETE /api/auth/mfa/totp with a current code) to enrol a new device.',
        );
      }
      await this.audit.record(
        { ...context, action: 'auth.mfa.setup_started', target: { type: 'user', id: user.id } },
        tx,
      );
    });
    return { secret, otpauthUrl: otpauthUrl(secret, user.email) };
  }

  /** The first correct code turns TOTP on; answers the ten recovery codes, shown this once. */
  async enable(user: Account, code: string, session: Buffer, context: AuditContext): Promise<string[]> {
    const row = await this.totpRow(user.id);
    if (!row || row.enabled_at) {
      throw new DomainError(
        ErrorCode.Conflict,
        row
          ? 'Two-factor sign-in is already on.'
          : 'Start enrolment first: POST /api/auth/mfa/totp/setup, then add the secret to your authenticator app.',
      );
    }
    const secret = await openOr409(this.keyring.provider, row);
    const step = matchTotpStep(secret.reveal(), code.trim(), Date.now());
    if (step === null) throw wrongCode();
    const codes = newRecoveryCodes();
    await this.db.transaction(async (tx) => {
      const ended = await this.keepOnlyThisSession(tx, user.id, session);
      const [, updated]: [unknown[], number] = await tx.query(
        `UPDATE user_totp SET enabled_at = now(), last_used_step = $2
          WHERE user_id = $1 AND id = $3 AND enabled_at IS NULL`,
        [user.id, step, row.id],
      );
      if (updated === 0) throw new DomainError(ErrorCode.Conflict, 'Enrolment changed meanwhile; start again.');
      // The code just proved counts as this session's recent second factor (step-up, decision 0053).
      await tx.query(`UPDATE sessions SET mfa_at = now() WHERE id_hash = $1`, [session]);
      await this.replaceRecoveryCodes(tx, user.id, codes);
      await this.audit.record(
        {
          ...context,
          action: 'auth.mfa.enabled',
          target: { type: 'user', id: user.id },
          metadata: { sessionsEnded: ended },
        },
        tx,
      );
    });
    return codes;
  }

  /**
   * A current code (or an unused recovery code) from a signed-in account, counted on the sign-in
   * throttle like a password: a wrong one is audited (`during` says where) and refused; a right
   * one is used up and gives its attempt back. Which kind it was is returned.
   */
  async confirmCode(
    user: Pick<Account, 'id' | 'email'>,
    code: string,
    context: AuditContext,
    during: 'disable' | 'recovery_codes' | 'step_up',
  ): Promise<'totp' | 'recovery_code'> {
    const reservation = await this.throttle.reserve(user.email, context.request?.ip ?? 'unknown');
    const used = await this.consumeCode(user.id, code);
    if (!used) {
      await this.audit.record({
        ...context,
        action: 'auth.mfa.failed',
        target: { type: 'user', id: user.id },
        metadata: { during },
      });
      throw wrongCode();
    }
    await this.throttle.release(reservation);
    return used;
  }

  /** Turning it off takes a current code (or a recovery code), counted like a sign-in attempt. */
  async disable(user: Account, code: string, session: Buffer, context: AuditContext): Promise<void> {
    const used = await this.confirmCode(user, code, context, 'disable');
    await this.db.transaction(async (tx) => {
      const ended = await this.keepOnlyThisSession(tx, user.id, session);
      await tx.query(`DELETE FROM user_totp WHERE user_id = $1`, [user.id]);
      await tx.query(`DELETE FROM mfa_recovery_codes WHERE user_id = $1`, [user.id]);
      await this.audit.record(
        {
          ...context,
          action: 'auth.mfa.disabled',
          target: { type: 'user', id: user.id },
          metadata: { with: used, sessionsEnded: ended },
        },
        tx,
      );
    });
  }

  /** Staff switch off another account's TOTP (lost device); every session of that account ends. */
  async reset(userId: string, context: AuditContext): Promise<void> {
    await this.db.transaction(async (tx) => {
      const users: unknown[] = await tx.query(`SELECT 1 FROM users WHERE id = $1`, [userId]);
      if (users.length === 0) throw notFound('User');
      const [, removed]: [unknown[], number] = await tx.query(`DELETE FROM user_totp WHERE user_id = $1`, [userId]);
      await tx.query(`DELETE FROM mfa_recovery_codes WHERE user_id = $1`, [userId]);
      const [, passkeys]: [unknown[], number] = await tx.query(`DELETE FROM user_passkeys WHERE user_id = $1`, [
        userId,
      ]);
      await tx.query(`DELETE FROM mfa_challenges WHERE user_id = $1`, [userId]);
      const [, ended]: [unknown[], number] = await tx.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
      await this.audit.record(
        {
          ...context,
          action: 'auth.mfa.reset',
          target: { type: 'user', id: userId },
          metadata: { hadTotp: removed > 0, passkeysRemoved: passkeys, sessionsEnded: ended },
        },
        tx,
      );
    });
  }

  /** After a correct password: a short-lived pending sign-in, bound to the user, waiting for a code. */
  async beginChallenge(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const { token, hash } = newOpaqueToken();
    const expiresAt = new Date(Date.now() + MFA_CHALLENGE_SECONDS * 1000);
    await this.db.query(`DELETE FROM mfa_challenges WHERE expires_at <= now()`);
    await this.db.query(`INSERT INTO mfa_challenges (id_hash, user_id, expires_at) VALUES ($1, $2, $3)`, [
      hash,
      userId,
      expiresAt,
    ]);
    return { token, expiresAt };
  }

  /** Completes a pending sign-in with a TOTP or recovery code: a session, or 401/429. */
  async verify(
    challenge: string | undefined,
    code: string,
    client: MfaClient,
  ): Promise<{ user: CurrentUser; token: string; expiresAt: Date }> {
    const hash = challenge ? hashOpaqueToken(challenge) : null;
    const pending: Array<{ user_id: string; email: string; is_staff: boolean }> = hash
      ? await this.db.query(
          `SELECT c.user_id, u.email, u.is_staff FROM mfa_challenges c JOIN users u ON u.id = c.user_id
            WHERE c.id_hash = $1 AND c.expires_at > now()`,
          [hash],
        )
      : [];
    const row = pending[0];
    if (!row) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'Your sign-in has expired or was not started. Sign in again with your email and password.',
      );
    }
    const account: Account = { id: row.user_id, email: row.email, isStaff: row.is_staff };
    // Same budget as passwords: a stolen password buys no more guesses at the code.
    const reservation = await this.throttle.reserve(account.email, client.ip);
    const used = await this.consumeCode(account.id, code);
    if (!used) {
      await this.audit.record({
        actor: userActor(account),
        request: requestOf(client),
        action: 'auth.mfa.failed',
        target: { type: 'user', id: account.id },
        metadata: { during: 'sign_in' },
      });
      throw wrongCode();
    }
    const [, taken]: [unknown[], number] = await this.db.query(`DELETE FROM mfa_challenges WHERE id_hash = $1`, [hash]);
    if (taken === 0) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This sign-in was already completed. Sign in again.');
    }
    // This attempt's reservation, and the one the correct password left counted.
    await this.throttle.release(reservation);
    await this.throttle.release({ ...reservation, ipLockedUntil: null });
    const session = await this.sessions.create(account.id, client.ip, client.userAgent);
    await this.db.query(`UPDATE sessions SET mfa_at = now() WHERE id_hash = $1`, [hashOpaqueToken(session.token)]);
    await this.audit.record({
      actor: userActor(account),
      request: requestOf(client),
      action: 'auth.mfa.verified',
      target: { type: 'user', id: account.id },
      metadata: { with: used },
    });
    await this.audit.record({
      actor: userActor(account),
      request: requestOf(client),
      action: 'auth.login.succeeded',
      target: { type: 'user', id: account.id },
      metadata: { secondFactor: used },
    });
    return { user: await this.users.describe(account.id), ...session };
  }

  /** Spends a TOTP code (its step, atomically) or a recovery code; which one, or null when wrong. */
  async consumeCode(userId: string, input: string): Promise<'totp' | 'recovery_code' | null> {
    const code = input.trim();
    if (/^\d{6}$/.test(code)) {
      const row = await this.totpRow(userId);
      if (!row?.enabled_at) return null;
      const secret = await openOr409(this.keyring.provider, row);
      const step = matchTotpStep(secret.reveal(), code, Date.now());
      if (step === null) return null;
      // UPDATE answers [rows, affected count] through TypeORM; the count says whether this request won.
      const [, spent]: [unknown[], number] = await this.db.query(
        `UPDATE user_totp SET last_used_step = $2
          WHERE user_id = $1 AND enabled_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)`,
        [userId, step],
      );
      return spent > 0 ? 'totp' : null;
    }
    const normalized = normalizeRecoveryCode(code);
    if (!normalized) return null;
    const [, spent]: [unknown[], number] = await this.db.query(
      `UPDATE mfa_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [userId, hashRecoveryCode(normalized)],
    );
    return spent > 0 ? 'recovery_code' : null;
  }

  private async totpRow(userId: string): Promise<(SealedTotpRow & { enabled_at: Date | null }) | undefined> {
    const rows: Array<SealedTotpRow & { enabled_at: Date | null }> = await this.db.query(
      `SELECT id, user_id, ciphertext, iv, wrapped_key, master_key_id, enabled_at FROM user_totp WHERE user_id = $1`,
      [userId],
    );
    return rows[0];
  }

  async replaceRecoveryCodes(tx: EntityManager, userId: string, codes: string[]): Promise<void> {
    await tx.query(`DELETE FROM mfa_recovery_codes WHERE user_id = $1`, [userId]);
    await tx.query(`INSERT INTO mfa_recovery_codes (user_id, code_hash) SELECT $1, h FROM unnest($2::bytea[]) AS h`, [
      userId,
      codes.map((c) => hashRecoveryCode(normalizeRecoveryCode(c)!)),
    ]);
  }

  /**
   * A change of second factor ends every other session of the account: the triggers on user_totp
   * do it (so psql or the CLI cannot forget); this names, before the change, the one session that
   * stays in this transaction, and says how many others will end.
   */
  private async keepOnlyThisSession(tx: EntityManager, userId: string, keep: Buffer): Promise<number> {
    await tx.query(`SELECT set_config('mv.keep_session', $1, true)`, [keep.toString('hex')]);
    const rows: Array<{ n: number }> = await tx.query(
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND id_hash <> $2`,
      [userId, keep],
    );
    return rows[0]?.n ?? 0;
  }
}
