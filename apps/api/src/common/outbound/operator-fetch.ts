/**
 * Plain fetch, for URLs the operator configured (INTERCOM_API_URL, the OIDC issuer): those are
 * trusted like the rest of the environment. Never for an address a tenant typed; that is
 * outboundRequest/outboundFetch. Lint forbids fetch elsewhere in apps/api/src so that every call
 * site is one of the two, on purpose.
 */
export const operatorFetch: typeof fetch = (input, init) => fetch(input, init);
