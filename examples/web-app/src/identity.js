/* global window */
/**
 * Stands in for your identity provider's SDK (Auth0, Firebase, Cognito, Okta, Keycloak…): it
 * only needs to give the signed-in user and a current ID token. Here the ID token arrives in the
 * URL fragment after sign-in (`#id_token=…`, as an OpenID Connect redirect can return it) and is
 * kept for the tab's life.
 */
const KEY = 'example.id_token';

const fromRedirect = new URLSearchParams(window.location.hash.slice(1)).get('id_token');
if (fromRedirect) {
  window.sessionStorage.setItem(KEY, fromRedirect);
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
}

function claims(idToken) {
  const base64 = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))));
}

/** The ID token while it is valid; Messenger Vault checks its signature, issuer, audience and expiry. */
export async function getIdToken() {
  const idToken = window.sessionStorage.getItem(KEY);
  if (!idToken || claims(idToken).exp * 1000 <= Date.now()) return null;
  return idToken;
}

/** The user as the token client wants it; `user_id` must be what Messenger Vault takes from the ID token (`sub` here). */
export async function currentUser() {
  const idToken = await getIdToken();
  if (!idToken) return null;
  const { sub, email, name } = claims(idToken);
  return { user_id: sub, ...(email ? { email } : {}), ...(name ? { name } : {}) };
}

export async function signOut() {
  window.sessionStorage.removeItem(KEY);
}
