import { isPrivateAddress } from './private-address';

/** Hosts that may be called over plain http outside production, for local receivers. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_LENGTH = 2048;

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * A receiver URL the API will POST reminders to: https, or http to this machine outside
 * production; no credentials in it (we sign instead); no fragment.
 */
export function checkWebhookUrl(input: string, production: boolean): WebhookUrlCheck {
  const text = input.trim();
  const example = 'like https://hooks.example.com/messenger-vault';
  if (!text)
    return { ok: false, message: `url is empty: give the https URL that should receive reminders, ${example}.` };
  if (text.length > MAX_LENGTH) return { ok: false, message: `url must be at most ${MAX_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `url is not an absolute URL: give one ${example}.` };
  }
  if (url.protocol === 'http:') {
    if (production || !LOOPBACK.has(url.hostname)) {
      return {
        ok: false,
        message: production
          ? `url must use https, ${example}: reminders are sent only over TLS.`
          : `url must use https, ${example}; plain http is allowed only for localhost and 127.0.0.1 outside production.`,
      };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: `url must be an https URL, ${example} (got ${url.protocol.replace(':', '')}).` };
  }
  if (url.username || url.password) {
    return {
      ok: false,
      message:
        'url must not contain a user name or password: every delivery is signed, verify the Messenger-Vault-Signature header instead.',
    };
  }
  if (url.hash) return { ok: false, message: 'url must not have a #fragment: receivers never see it.' };
  if (production && (url.hostname === 'localhost' || isPrivateAddress(url.hostname))) {
    return {
      ok: false,
      message: `url points at a private or local address (${url.hostname}); give a public https URL ${example}.`,
    };
  }
  return { ok: true, url: url.toString() };
}
