import { Injectable } from '@nestjs/common';
import type { CurrentUser } from '@messenger-vault/contracts';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditContext, userActor } from '../../audit/audit-context';
import { AuditService } from '../../audit/audit.service';
import { DomainError, ErrorCode, notFound } from '../../common/errors';
import { UsersService } from '../../users/users.service';
import type { SessionUser } from '../current-user';
import { LoginThrottleService } from '../login-throttle.service';
import type { MfaClient } from '../mfa.service';
import { hashOpaqueToken } from '../session-token';
import { SessionsService } from '../sessions.service';
import type { RelyingParty } from './relying-party';

/** How long a ceremony's challenge stays valid: long enough to find the key, short enough to be useless later. */
export const WEBAUTHN_CHALLENGE_SECONDS = 120;
const RP_NAME = 'Messenger Vault';
/** ES256 (every platform authenticator), EdDSA, RS256 (Windows Hello). */
const ALGORITHMS = [-7, -8, -257];

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
}

interface PasskeyRow {
  id: string;
  credential_id: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
  name: string;
  backed_up: boolean;
  created_at: Date;
  last_used_at: Date | null;
}

type Purpose = 'register' | 'sign_in' | 'step_up';
type Account = Pick<SessionUser, 'id' | 'email' | 'isStaff'>;

const toView = (r: PasskeyRow): PasskeyView => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  backedUp: r.backed_up,
});

const rejected = () =>
  new DomainError(
    ErrorCode.PasskeyRejected,
    'The passkey was not accepted: it is not registered to this account, was removed, or the request expired. Try again, or use a code from your authenticator app.',
  );

/** The challenge the browser signed, read from clientDataJSON; null when it is not there. */
function signedChallenge(response: { response?: { clientDataJSON?: unknown } }): string | null {
  const raw = response?.response?.clientDataJSON;
  if (typeof raw !== 'string' || raw.length > 4096) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const challenge = (parsed as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 128 ? challenge : null;
  } catch {
    return null;
  }
}

/**
 * Passkeys (WebAuthn, decision 0052), by @simplewebauthn/server. Each ceremony's challenge is
 * stored here, bound to the user and to the session (registration, step-up) or pending sign-in
 * it was issued for, and deleted when checked: single use, short-lived. The signature counter
 * only moves forward (a compare-and-set), so a cloned authenticator replaying an older count is
 * refused.
 */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
  ) {}

  async list(userId: string): Promise<PasskeyView[]> {
    return (await this.rows(userId)).map(toView);
  }

  async registrationOptions(user: SessionUser, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.rows(user.id);
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rp.rpID,
      userName: user.email,
      userDisplayName: user.email,
      userID: Buffer.from(user.id.replace(/-/g, ''), 'hex'),
      attestationType: 'none',
      excludeCredentials: existing.map((r) => ({ id: r.credential_id, transports: r.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
      timeout: WEBAUTHN_CHALLENGE_SECONDS * 1000,
    });
    await this.storeChallenge(options.challenge, user.id, 'register', user.sessionHash);
    return options;
  }

  /** Verifies a new credential and stores it; the account's other sessions end (trigger), this one stays. */
  async register(
    user: SessionUser,
    response: RegistrationResponseJSON,
    name: string | undefined,
    rp: RelyingParty,
    context: AuditContext,
  ): Promise<PasskeyView> {
    const challenge = signedChallenge(response);
    if (!challenge || !(await this.takeChallenge(challenge, user.id, 'register', user.sessionHash))) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'This passkey registration expired or was already used. Start again from "Add a passkey".',
      );
    }
    let info;
    try {
      const verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpID,
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      });
      if (!verification.verified) throw new Error('not verified');
      info = verification.registrationInfo;
    } catch (err) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `The passkey could not be registered: ${err instanceof Error ? err.message : 'invalid response'}. Start again from "Add a passkey".`,
      );
    }
    const { credential } = info;
    const label = name?.trim() || `Passkey ${new Date().toISOString().slice(0, 10)}`;
    const id = randomUUID();
    const row = await this.db.transaction(async (tx) => {
      const ended = await this.keepOnlyThisSession(tx, user.id, user.sessionHash);
      const inserted: PasskeyRow[] = await tx.query(
        `INSERT INTO user_passkeys (id, user_id, credential_id, public_key, counter, transports, name, aaguid, backed_up)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (credential_id) DO NOTHING
         RETURNING *`,
        [
          id,
          user.id,
          credential.id,
          Buffer.from(credential.publicKey),
          credential.counter,
          credential.transports ?? [],
          label.slice(0, 100),
          info.aaguid,
          info.credentialBackedUp,
        ],
      );
      if (!inserted[0]) throw new DomainError(ErrorCode.Conflict, 'This passkey is already registered.');
      await tx.query(`UPDATE sessions SET mfa_at = now() WHERE id_hash = $1`, [user.sessionHash]);
      await this.audit.record(
        {
          ...context,
          action: 'auth.passkey.added',
          target: { type: 'user', id: user.id },
          metadata: {
            passkeyId: id,
            name: inserted[0].name,
            aaguid: info.aaguid,
            userVerified: info.userVerified,
            sessionsEnded: ended,
          },
        },
        tx,
      );
      return inserted[0];
    });
    return toView(row);
  }

  async rename(user: SessionUser, passkeyId: string, name: string, context: AuditContext): Promise<PasskeyView> {
    const [rows]: [PasskeyRow[], number] = await this.db.query(
      `UPDATE user_passkeys SET name = $3 WHERE id::text = $1 AND user_id = $2 RETURNING *`,
      [passkeyId, user.id, name.trim().slice(0, 100)],
    );
    if (!rows[0]) throw notFound('Passkey');
    await this.audit.record({
      ...context,
      action: 'auth.passkey.renamed',
      target: { type: 'user', id: user.id },
      metadata: { passkeyId, name: rows[0].name },
    });
    return toView(rows[0]);
  }

  /** Removes one of the account's passkeys; the account's other sessions end (trigger). */
  async remove(user: SessionUser, passkeyId: string, context: AuditContext): Promise<void> {
    await this.db.transaction(async (tx) => {
      const ended = await this.keepOnlyThisSession(tx, user.id, user.sessionHash);
      const [rows]: [PasskeyRow[], number] = await tx.query(
        `DELETE FROM user_passkeys WHERE id::text = $1 AND user_id = $2 RETURNING *`,
        [passkeyId, user.id],
      );
      if (!rows[0]) throw notFound('Passkey');
      await this.audit.record(
        {
          ...context,
          action: 'auth.passkey.removed',
          target: { type: 'user', id: user.id },
          metadata: { passkeyId, name: rows[0].name, sessionsEnded: ended },
        },
        tx,
      );
    });
  }

  async hasPasskeys(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM user_passkeys WHERE user_id = $1 LIMIT 1`, [userId]);
    return rows.length > 0;
  }

  /** Options to sign a pending sign-in (after the password) with one of the account's passkeys. */
  async signInOptions(pending: string | undefined, rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { account, hash } = await this.pendingSignIn(pending);
    return this.assertionOptions(account.id, 'sign_in', hash, rp);
  }

  /** Completes a pending sign-in with a passkey: a session (second factor fresh), or 401/429. */
  async signIn(
    pending: string | undefined,
    response: AuthenticationResponseJSON,
    client: MfaClient,
    rp: RelyingParty,
  ): Promise<{ user: CurrentUser; token: string; expiresAt: Date }> {
    const { account, hash } = await this.pendingSignIn(pending);
    const context: AuditContext = {
      actor: userActor(account),
      request: { ip: client.ip, userAgent: client.userAgent ?? null, requestId: client.requestId ?? null },
    };
    // The same budget as passwords and codes.
    const reservation = await this.throttle.reserve(account.email, client.ip);
    const passkeyId = await this.verifyAssertion(account, response, 'sign_in', hash, rp, context);
    const [, taken]: [unknown[], number] = await this.db.query(`DELETE FROM mfa_challenges WHERE id_hash = $1`, [hash]);
    if (taken === 0) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This sign-in was already completed. Sign in again.');
    }
    await this.throttle.release(reservation);
    await this.throttle.release({ ...reservation, ipLockedUntil: null });
    const session = await this.sessions.create(account.id, client.ip, client.userAgent);
    await this.db.query(`UPDATE sessions SET mfa_at = now() WHERE id_hash = $1`, [hashOpaqueToken(session.token)]);
    await this.audit.record({
      ...context,
      action: 'auth.passkey.used',
      target: { type: 'user', id: account.id },
      metadata: { passkeyId, during: 'sign_in' },
    });
    await this.audit.record({
      ...context,
      action: 'auth.login.succeeded',
      target: { type: 'user', id: account.id },
      metadata: { secondFactor: 'passkey' },
    });
    return { user: await this.users.describe(account.id), ...session };
  }

  async stepUpOptions(user: SessionUser, rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.assertionOptions(user.id, 'step_up', user.sessionHash, rp);
  }

  /** A passkey assertion bound to this session; the caller marks the session's second factor fresh. */
  async stepUp(
    user: SessionUser,
    response: AuthenticationResponseJSON,
    rp: RelyingParty,
    context: AuditContext,
  ): Promise<string> {
    const reservation = await this.throttle.reserve(user.email, context.request?.ip ?? 'unknown');
    const passkeyId = await this.verifyAssertion(user, response, 'step_up', user.sessionHash, rp, context);
    await this.throttle.release(reservation);
    await this.audit.record({
      ...context,
      action: 'auth.passkey.used',
      target: { type: 'user', id: user.id },
      metadata: { passkeyId, during: 'step_up' },
    });
    return passkeyId;
  }

  private async assertionOptions(
    userId: string,
    purpose: Purpose,
    boundTo: Buffer,
    rp: RelyingParty,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const keys = await this.rows(userId);
    if (keys.length === 0) {
      throw new DomainError(
        ErrorCode.Conflict,
        'This account has no passkey. Use a code from your authenticator app or a recovery code.',
      );
    }
    const options = await generateAuthenticationOptions({
      rpID: rp.rpID,
      allowCredentials: keys.map((k) => ({ id: k.credential_id, transports: k.transports })),
      userVerification: 'preferred',
      timeout: WEBAUTHN_CHALLENGE_SECONDS * 1000,
    });
    await this.storeChallenge(options.challenge, userId, purpose, boundTo);
    return options;
  }

  /**
   * Checks an assertion against the stored challenge (spent here), the account's own passkeys,
   * the origin and RP ID, and the counter; answers the passkey's id or throws 401 after auditing why.
   */
  private async verifyAssertion(
    account: Account,
    response: AuthenticationResponseJSON,
    purpose: Purpose,
    boundTo: Buffer,
    rp: RelyingParty,
    context: AuditContext,
  ): Promise<string> {
    const fail = async (reason: string): Promise<never> => {
      await this.audit.record({
        ...context,
        action: 'auth.passkey.failed',
        target: { type: 'user', id: account.id },
        metadata: { during: purpose, reason },
      });
      throw rejected();
    };
    const challenge = signedChallenge(response);
    if (!challenge) return fail('no challenge in the response');
    if (!(await this.takeChallenge(challenge, account.id, purpose, boundTo))) {
      return fail('unknown, used or expired challenge');
    }
    const credentialId = typeof response?.id === 'string' ? response.id : '';
    const rows: PasskeyRow[] = await this.db.query(
      `SELECT * FROM user_passkeys WHERE credential_id = $1 AND user_id = $2`,
      [credentialId, account.id],
    );
    const key = rows[0];
    if (!key) return fail('not a passkey of this account');
    let newCounter: number;
    try {
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpID,
        credential: {
          id: key.credential_id,
          publicKey: new Uint8Array(key.public_key),
          counter: Number(key.counter),
          transports: key.transports,
        },
        requireUserVerification: false,
      });
      if (!verification.verified) return fail('signature not verified');
      newCounter = verification.authenticationInfo.newCounter;
    } catch (err) {
      return fail(err instanceof Error ? err.message.slice(0, 200) : 'invalid response');
    }
    // Compare-and-set: two requests with the same count cannot both win, and a count that does
    // not move forward (a clone of the authenticator) is refused. Authenticators that keep no
    // counter send 0 every time.
    const [, moved]: [unknown[], number] = await this.db.query(
      `UPDATE user_passkeys SET counter = $2, last_used_at = now()
        WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0))`,
      [key.id, newCounter],
    );
    if (moved === 0) return fail('signature counter did not increase (possible cloned authenticator)');
    return key.id;
  }

  private async pendingSignIn(pending: string | undefined): Promise<{ account: Account; hash: Buffer }> {
    const hash = pending ? hashOpaqueToken(pending) : null;
    const rows: Array<{ user_id: string; email: string; is_staff: boolean }> = hash
      ? await this.db.query(
          `SELECT c.user_id, u.email, u.is_staff FROM mfa_challenges c JOIN users u ON u.id = c.user_id
            WHERE c.id_hash = $1 AND c.expires_at > now()`,
          [hash],
        )
      : [];
    if (!rows[0] || !hash) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'Your sign-in has expired or was not started. Sign in again with your email and password.',
      );
    }
    return { account: { id: rows[0].user_id, email: rows[0].email, isStaff: rows[0].is_staff }, hash };
  }

  private async storeChallenge(challenge: string, userId: string, purpose: Purpose, boundTo: Buffer): Promise<void> {
    await this.db.query(`DELETE FROM webauthn_challenges WHERE expires_at <= now()`);
    await this.db.query(
      `INSERT INTO webauthn_challenges (challenge, user_id, purpose, bound_to, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [challenge, userId, purpose, boundTo, WEBAUTHN_CHALLENGE_SECONDS],
    );
  }

  /** Spends the challenge: true once, for the user, purpose and session it was issued to. */
  private async takeChallenge(challenge: string, userId: string, purpose: Purpose, boundTo: Buffer): Promise<boolean> {
    const [, taken]: [unknown[], number] = await this.db.query(
      `DELETE FROM webauthn_challenges
        WHERE challenge = $1 AND user_id = $2 AND purpose = $3 AND bound_to = $4 AND expires_at > now()`,
      [challenge, userId, purpose, boundTo],
    );
    return taken > 0;
  }

  private async rows(userId: string): Promise<PasskeyRow[]> {
    return this.db.query(`SELECT * FROM user_passkeys WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  }

  /** As MfaService: names the session that survives the trigger, and counts the others that end. */
  private async keepOnlyThisSession(tx: EntityManager, userId: string, keep: Buffer): Promise<number> {
    await tx.query(`SELECT set_config('mv.keep_session', $1, true)`, [keep.toString('hex')]);
    const rows: Array<{ n: number }> = await tx.query(
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND id_hash <> $2`,
      [userId, keep],
    );
    return rows[0]?.n ?? 0;
  }
}
