import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import type { CurrentUser } from '@messenger-vault/contracts';
import { call, type Schema } from './client';

export type Passkey = Schema<'PasskeyDto'>;

/** The WebAuthn JSON the browser package answers, sent to the API as it is. */
type CredentialJson = Record<string, unknown>;

// The browser package is loaded when a passkey is used, fetched while the API prepares the
// options: every page's first bundle imports this file (sign-in, step-up), few use a passkey.
const webauthn = () => import('@simplewebauthn/browser');

export async function listPasskeys(signal?: AbortSignal): Promise<Passkey[]> {
  return (await call('get', '/api/auth/passkeys', { signal })).items;
}

/** Options from the API, the browser's passkey prompt, then the API checks and stores the new key. */
export async function addPasskey(name: string | undefined): Promise<Passkey> {
  const [options, { startRegistration }] = await Promise.all([
    call('post', '/api/auth/passkeys/registration-options', {}),
    webauthn(),
  ]);
  const response = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  return call('post', '/api/auth/passkeys', {
    body: { response: response as unknown as CredentialJson, name: name || undefined },
  });
}

export function renamePasskey(passkeyId: string, name: string): Promise<Passkey> {
  return call('patch', '/api/auth/passkeys/{passkeyId}', { path: { passkeyId }, body: { name } });
}

export async function removePasskey(passkeyId: string): Promise<void> {
  await call('delete', '/api/auth/passkeys/{passkeyId}', { path: { passkeyId } });
}

/** Completes a pending sign-in (after the password) with a passkey; sets the session cookie. */
export async function verifyWithPasskey(): Promise<CurrentUser> {
  const [options, { startAuthentication }] = await Promise.all([
    call('post', '/api/auth/mfa/verify/passkey/options', { onUnauthorized: 'throw' }),
    webauthn(),
  ]);
  const response = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  return call('post', '/api/auth/mfa/verify/passkey', {
    body: { response: response as unknown as CredentialJson },
    onUnauthorized: 'throw',
  });
}

/** Step-up (a sensitive action answered step_up_required): a TOTP or recovery code. */
export async function stepUpWithCode(code: string): Promise<void> {
  await call('post', '/api/auth/step-up', { body: { code }, onUnauthorized: 'throw' });
}

/** Step-up with a passkey, bound to this session. */
export async function stepUpWithPasskey(): Promise<void> {
  const [options, { startAuthentication }] = await Promise.all([
    call('post', '/api/auth/step-up/passkey/options', {}),
    webauthn(),
  ]);
  const response = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  await call('post', '/api/auth/step-up/passkey', {
    body: { response: response as unknown as CredentialJson },
    onUnauthorized: 'throw',
  });
}
