import { Alert, Button, Divider } from '@mantine/core';
import { SSO_REFUSALS, type SsoRefusal } from '@messenger-vault/contracts';
import { useQuery } from '@tanstack/react-query';
import { getSsoConfig, SSO_START_URL } from '../../api/sessions';

export const ssoKeys = { config: () => ['auth', 'sso-config'] as const };

/** Why the server refused a single sign-on (`/login?sso=<reason>`), in words. */
export const SSO_REFUSAL_MESSAGES: Readonly<Record<SsoRefusal, string>> = {
  not_started: 'The sign-in expired or was started in another browser. Try again.',
  state_mismatch: 'The answer from your identity provider did not belong to this sign-in. Try again.',
  provider_error: 'Your identity provider did not sign you in.',
  code_rejected: 'Your identity provider refused the sign-in (it took too long, or was used already). Try again.',
  nonce_mismatch: 'The answer from your identity provider did not belong to this sign-in. Try again.',
  id_token_invalid: 'The answer from your identity provider could not be verified. Ask an administrator.',
  email_not_verified: 'Your identity provider has not verified your email address.',
  domain_not_allowed: "Single sign-on is for SalesMind staff; your email address's domain is not on the list.",
  subject_mismatch: 'This email address is linked to another account at your identity provider. Ask an administrator.',
  provider_unavailable: 'Your identity provider did not answer. Try again in a minute, or sign in with your password.',
};

export function ssoRefusalMessage(reason: string | null): string | null {
  if (!reason) return null;
  return (SSO_REFUSALS as readonly string[]).includes(reason)
    ? SSO_REFUSAL_MESSAGES[reason as SsoRefusal]
    : 'Single sign-on did not work. Try again.';
}

/** "Sign in with SSO" when the server has single sign-on set up, and why the last try was refused. */
export function SsoSignIn({ refusal }: { refusal: string | null }) {
  const config = useQuery({
    queryKey: ssoKeys.config(),
    queryFn: ({ signal }) => getSsoConfig(signal),
    staleTime: Infinity,
  });
  const message = ssoRefusalMessage(refusal);
  if (!config.data?.enabled) return null;
  return (
    <>
      <Divider label="or" labelPosition="center" />
      {message && (
        <Alert color="red" title="Single sign-on didn't work">
          {message}
        </Alert>
      )}
      {/* A navigation, not a fetch: the identity provider's pages take over the tab. */}
      <Button component="a" href={SSO_START_URL} variant="default" fullWidth>
        Sign in with SSO
      </Button>
    </>
  );
}
