import type { FastifyRequest } from 'fastify';

export interface RelyingParty {
  /** The domain passkeys are scoped to (WebAuthn's RP ID). */
  rpID: string;
  /** The one origin whose ceremonies are accepted. */
  origin: string;
}

/**
 * From PUBLIC_URL when set (production: the address users type); otherwise from the request's
 * own host, which is only trustworthy for local development. A passkey made for one RP ID never
 * works for another, so a Host header naming another site gets nothing.
 */
export function relyingParty(publicUrl: string | null, request: FastifyRequest): RelyingParty {
  const url = new URL(publicUrl ?? `${request.protocol}://${request.host}`);
  return { rpID: url.hostname, origin: url.origin };
}
