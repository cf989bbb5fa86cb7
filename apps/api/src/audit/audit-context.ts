import type { FastifyRequest } from 'fastify';
import type { SessionUser } from '../auth/current-user';
import type { AuditActorKind } from './audit-actions';

export interface AuditActor {
  kind: AuditActorKind;
  userId: string | null;
  /** For a failed sign-in, the email as typed (lowercased): there may be no such user. */
  email: string | null;
}

/** Where the action came from; null for jobs and CLI commands. */
export interface AuditRequestInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** Who acted and from where: spread it into `AuditService.record({...context, action, ...})`. */
export interface AuditContext {
  actor: AuditActor;
  request: AuditRequestInfo | null;
}

export function userActor(user: Pick<SessionUser, 'id' | 'email' | 'isStaff'>): AuditActor {
  return { kind: user.isStaff ? 'staff' : 'user', userId: user.id, email: user.email };
}

export function requestInfo(request: FastifyRequest): AuditRequestInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: userAgent ?? null, requestId: String(request.id) };
}

/**
 * The signed-in user of `request` (set by the access guard) and its IP, user agent and request
 * id. On a public route, where nobody is signed in yet, pass the actor explicitly.
 */
export function auditContext(request: FastifyRequest, actor?: AuditActor): AuditContext {
  const user = request.user;
  const resolved = actor ?? (user ? userActor(user) : null);
  if (!resolved) throw new Error('auditContext on a route without a session needs an explicit actor');
  return { actor: resolved, request: requestInfo(request) };
}

/** For scheduled jobs and CLI commands. */
export const SYSTEM_AUDIT_CONTEXT: AuditContext = {
  actor: { kind: 'system', userId: null, email: null },
  request: null,
};
