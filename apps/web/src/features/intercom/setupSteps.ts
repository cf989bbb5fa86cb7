/**
 * The five steps of connecting a tenant's Intercom workspace, in order. The tenant page lists
 * them today; the setup wizard (a later issue) gives each one its own screen under
 * `/tenants/:tenantId/setup/:step`, keyed by `key` (named after the API route that saves it).
 */
export interface SetupStep {
  number: 1 | 2 | 3 | 4 | 5;
  key: 'app-id' | 'secret' | 'platforms' | 'settings' | 'identity-provider';
  title: string;
  /** One line on why the step matters, in our own words. */
  why: string;
}

export const SETUP_STEPS: readonly SetupStep[] = [
  {
    number: 1,
    key: 'app-id',
    title: 'APP_ID',
    why: 'Points Messenger Vault at the Intercom workspace that hosts your app’s chat.',
  },
  {
    number: 2,
    key: 'secret',
    title: 'Secret key',
    why: 'Signs your users’ identity tokens; it is stored encrypted and never displayed again.',
  },
  {
    number: 3,
    key: 'platforms',
    title: 'Messenger Security',
    why: 'Makes Intercom reject unsigned visitors on web, iOS and Android, so nobody can pose as a user.',
  },
  {
    number: 4,
    key: 'settings',
    title: 'Best practices',
    why: 'Short token lifetimes and regular key rotation limit what a leak can do.',
  },
  {
    number: 5,
    key: 'identity-provider',
    title: 'Identity verification',
    why: 'Choose signed JWTs (recommended) or legacy HMAC hashes for your apps to send.',
  },
];
