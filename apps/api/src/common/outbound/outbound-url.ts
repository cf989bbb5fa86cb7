import { OutboundRefused, type OutboundPolicy, refusedHost, resolvePublic } from './outbound-request';

const MAX_LENGTH = 2048;
/** Hosts that may be called over plain http outside production, for local receivers. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface UrlRules {
  /** The request field, named in every message. */
  field: string;
  /** What the URL is for, e.g. "the https URL that should receive reminders". */
  what: string;
  /** "like https://hooks.example.com/messenger-vault" */
  example: string;
  /** Why credentials never belong in it. */
  noCredentials: string;
}

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * The shape of an address a tenant types: https, or http to this machine outside production; no
 * credentials; no fragment; in production no special-use IP literal or localhost name. Names are
 * resolved by `checkOutboundUrl` below; this part needs no network and also runs in DTOs.
 */
export function checkOutboundUrlShape(input: string, rules: UrlRules, production: boolean): UrlCheck {
  const { field, example } = rules;
  const text = input.trim();
  if (!text) return { ok: false, message: `${field} is empty: give ${rules.what}, ${example}.` };
  if (text.length > MAX_LENGTH) return { ok: false, message: `${field} must be at most ${MAX_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `${field} is not an absolute URL: give one ${example}.` };
  }
  if (url.protocol === 'http:') {
    if (production || !LOOPBACK.has(url.hostname)) {
      return {
        ok: false,
        message: production
          ? `${field} must use https, ${example}: this server calls tenants' addresses only over TLS.`
          : `${field} must use https, ${example}; plain http is allowed only for localhost and 127.0.0.1 outside production.`,
      };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: `${field} must be an https URL, ${example} (got ${url.protocol.replace(':', '')}).` };
  }
  if (url.username || url.password) {
    return { ok: false, message: `${field} must not contain a user name or password: ${rules.noCredentials}` };
  }
  if (url.hash) return { ok: false, message: `${field} must not have a #fragment: servers never see it.` };
  const range = production ? refusedHost(url.hostname) : null;
  if (range) return { ok: false, message: refusedMessage(rules, url.hostname, range) };
  return { ok: true, url: url.toString() };
}

/**
 * The shape, then (in production) every address the name resolves to now. A name that does not
 * resolve is accepted: the connection-time check decides later, and an identity provider being
 * set up before its DNS is live is normal.
 */
export async function checkOutboundUrl(input: string, rules: UrlRules, policy: OutboundPolicy): Promise<UrlCheck> {
  const shape = checkOutboundUrlShape(input, rules, policy.refuseSpecialUse);
  if (!shape.ok || !policy.refuseSpecialUse) return shape;
  const hostname = new URL(shape.url).hostname;
  if (/^[\d.]+$|^\[/.test(hostname)) return shape;
  try {
    await resolvePublic(hostname, policy);
  } catch (err) {
    if (err instanceof OutboundRefused) return { ok: false, message: refusedMessage(rules, hostname, err.range) };
  }
  return shape;
}

const refusedMessage = (rules: UrlRules, host: string, range: string) =>
  `${rules.field} points at a private or local address (${host}: ${range}); give a public https URL ${rules.example}.`;
