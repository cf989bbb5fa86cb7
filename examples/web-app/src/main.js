/* global window, document */
import { backendFetcher, bootIntercom, createTokenClient, exchangeFetcher } from '@messenger-vault/token-client';
import * as identity from './identity.js';
import { loadIntercom } from './intercom-loader.js';

const env = import.meta.env;
const APP_ID = env.VITE_INTERCOM_APP_ID;
const API_BASE = env.VITE_INTERCOM_API_BASE || 'https://api-iam.intercom.io';
// Through your backend (it holds the API key) or straight to the exchange endpoint with the user's
// ID token. Never put an API key in a frontend: anyone could mint tokens for any of your users.
const VIA_BACKEND = Boolean(env.VITE_TOKEN_ENDPOINT);

const client = createTokenClient({
  fetchToken: VIA_BACKEND
    ? backendFetcher(env.VITE_TOKEN_ENDPOINT, { platform: 'web', credentials: 'same-origin' })
    : exchangeFetcher({
        baseUrl: env.VITE_MESSENGER_VAULT_URL,
        tenantId: env.VITE_MESSENGER_VAULT_TENANT_ID,
        platform: 'web',
        getIdToken: identity.getIdToken,
      }),
});

/** Who is signed in: your backend's session, or the identity provider's. */
async function signedInUser() {
  if (!VIA_BACKEND) return identity.currentUser();
  const response = await fetch('/api/me', { credentials: 'same-origin' });
  return response.ok ? response.json() : null;
}

async function signOut() {
  if (VIA_BACKEND) await fetch('/demo/sign-out', { method: 'POST', credentials: 'same-origin' });
  else await identity.signOut();
}

const status = document.getElementById('status');
const pageView = document.getElementById('page-view');
const signOutButton = document.getElementById('sign-out');

/** Visitors who are not signed in get the Messenger without an identity. */
function bootAnonymous() {
  window.Intercom('boot', { app_id: APP_ID, api_base: API_BASE });
}

async function main() {
  loadIntercom(APP_ID);
  const user = await signedInUser();
  if (!user) {
    bootAnonymous();
    status.textContent = 'Not signed in: the Messenger runs for an anonymous visitor.';
    return;
  }

  // boot with the first token, then `update` with each refreshed one, before it expires.
  const messenger = await bootIntercom(window.Intercom, { appId: APP_ID, apiBase: API_BASE, user, client });
  status.textContent = `Signed in as ${user.user_id}: the Messenger is booted with a signed token.`;
  pageView.hidden = false;
  signOutButton.hidden = false;

  // In a single-page app, tell Intercom about each route change; the token goes along.
  pageView.addEventListener('click', async () => {
    await messenger.update({ last_request_at: Math.floor(Date.now() / 1000) });
    status.textContent = `Page view sent for ${user.user_id}.`;
  });

  // Sign-out, in Intercom's order: shut the Messenger down, forget the token, then sign out.
  signOutButton.addEventListener('click', async () => {
    messenger.shutdown();
    client.clear();
    await signOut();
    pageView.hidden = true;
    signOutButton.hidden = true;
    bootAnonymous();
    status.textContent = 'Signed out: the Messenger runs for an anonymous visitor again.';
  });
}

main().catch((error) => {
  // TokenError codes: http (with status), network, no_id_token, user_mismatch, …
  status.textContent = `Could not start the Messenger: ${error.code ?? 'error'}: ${error.message}`;
  console.error(error);
});
