// Asks Messenger Vault for a Messenger token for one of your users (Node 18+, no dependencies).
// Run: MESSENGER_VAULT_API_KEY=... node token.mjs 42 jane@example.com
const VAULT_URL = process.env.MESSENGER_VAULT_URL ?? 'https://vault.example.com';
const API_KEY = process.env.MESSENGER_VAULT_API_KEY; // keep it on the server, never in a browser or app

async function messengerToken(userId, email) {
  const response = await fetch(`${VAULT_URL}/v1/intercom/token`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId, email, platform: 'web' }),
    signal: AbortSignal.timeout(5000),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    // Errors are {statusCode, error, code, message}; retry 429 after Retry-After and 5xx, not other 4xx.
    throw new Error(`Messenger Vault answered ${response.status} ${body.code}: ${body.message}`);
  }
  return body; // JWT mode: {token, expires_at, app_id}; HMAC mode: {user_hash, app_id}
}

// Take the user from your own session, never from the browser. Here: the command line.
const [userId = '42', email] = process.argv.slice(2);
try {
  console.log(JSON.stringify(await messengerToken(userId, email)));
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
}
