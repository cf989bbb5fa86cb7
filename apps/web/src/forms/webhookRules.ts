/**
 * The webhook URL rule, mirrored from the API's `checkWebhookUrl`: https, or plain http to this
 * computer (allowed by the API outside production only, which it decides); no user name or
 * password, no #fragment. Returns the message to show, or null.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
export const WEBHOOK_URL_MAX_LENGTH = 2048;

export function webhookUrlError(value: string): string | null {
  const text = value.trim();
  const example = 'like https://hooks.example.com/messenger-vault';
  if (!text) return `Enter the https address that should receive reminders, ${example}.`;
  if (text.length > WEBHOOK_URL_MAX_LENGTH) return `Use at most ${WEBHOOK_URL_MAX_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `Enter a whole address, ${example}.`;
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    return `Use https, ${example}: reminders are sent only over TLS (plain http only to localhost while developing).`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Use an https address, ${example}.`;
  if (url.username || url.password) {
    return 'Leave the user name and password out: every delivery is signed, so check the signature instead.';
  }
  if (url.hash) return 'Leave out the #fragment: receivers never see it.';
  return null;
}
