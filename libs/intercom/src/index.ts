export { IntercomError } from './errors';
export { PLATFORMS, IDENTITY_MODES, isPlatform, isIdentityMode, type Platform, type IdentityMode } from './platform';
export { REGIONS, INTERCOM_APP_HOSTS, isRegion, messengerApiBase, type Region } from './region';
export {
  APP_ID_MIN_LENGTH,
  APP_ID_MAX_LENGTH,
  APP_ID_INPUT_MAX_LENGTH,
  parseAppId,
  type AppIdProblemCode,
  type AppIdResult,
} from './app-id';
export {
  ClaimsError,
  buildMessengerClaims,
  type AttributeValue,
  type ClaimsErrorCode,
  type ClaimsOptions,
  type ClaimsTiming,
  type MessengerClaims,
  type MessengerUser,
} from './claims';
export { SecretError, importHmacKey, type HmacKey, type SecretErrorCode } from './hmac-key';
export { signMessengerJwt } from './messenger-jwt';
export { MessengerJwtSigner } from './jwt-signer';
export { legacyUserHash } from './user-hash';
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  InspectionError,
  inspectToken,
  type InspectionErrorCode,
  type InspectionPolicy,
  type TokenInspection,
  type TokenProblem,
  type TokenProblemCode,
  type TokenWarning,
  type TokenWarningCode,
} from './token-inspection';
export type { JsonObject } from './jwt-parts';
export { jsonShapeProblem, type JsonShapeLimits, type JsonShapeProblem } from './json-shape';
