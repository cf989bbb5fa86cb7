/**
 * The browser-safe part of this library: pure functions with no node:* or jose imports, so the
 * web app can run the same APP_ID parser the API runs (`@messenger-vault/intercom/browser`).
 * `browser.test.ts` walks this file's imports and fails on anything that needs Node.
 */
export { PLATFORMS, IDENTITY_MODES, isPlatform, isIdentityMode, type Platform, type IdentityMode } from './platform';
export { REGIONS, INTERCOM_APP_HOSTS, isRegion, messengerApiBase, type Region } from './region';
export { APP_ID_MIN_LENGTH, APP_ID_MAX_LENGTH, parseAppId, type AppIdProblemCode, type AppIdResult } from './app-id';
