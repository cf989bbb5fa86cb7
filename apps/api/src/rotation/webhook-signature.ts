import { createHmac, randomBytes } from 'node:crypto';

/** Stripe-style: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'Messenger-Vault-Signature';

/** 32 random bytes; the prefix tells a leaked string apart from other credentials. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The header value for `body` sent at `unixSeconds`. The key is the signing secret exactly as
 * shown to the tenant (its UTF-8 bytes, prefix included). Signed afresh on every attempt, so a
 * retry hours later still passes a receiver's five-minute freshness check.
 */
export function signatureHeader(signingSecret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', signingSecret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
