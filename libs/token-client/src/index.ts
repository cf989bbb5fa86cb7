export { createTokenClient, type RetryOptions, type TokenClient, type TokenClientOptions } from './client';
export {
  TokenError,
  isRetryableStatus,
  parseRetryAfter,
  toTokenError,
  type TokenErrorCode,
  type TokenErrorDetails,
} from './errors';
export {
  backendFetcher,
  exchangeFetcher,
  tokenErrorFromResponse,
  type BackendFetcherInit,
  type ExchangeFetcherOptions,
  type FetchLike,
  type FetchToken,
  type TokenRequestContext,
} from './fetchers';
export {
  bootIntercom,
  identitySettings,
  type BootIntercomOptions,
  type IntercomApi,
  type IntercomFunction,
  type IntercomSession,
  type IntercomSettings,
  type IntercomTarget,
} from './intercom-web';
export {
  parseTokenResponse,
  type HmacIssuedToken,
  type HmacTokenResponse,
  type IssuedToken,
  type JwtIssuedToken,
  type JwtTokenResponse,
  type Platform,
  type TokenResponse,
  type TokenUser,
} from './token-response';
