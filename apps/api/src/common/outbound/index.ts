export { specialUseRange, isLocalhostName } from './special-use';
export {
  guardedLookup,
  OutboundRefused,
  outboundFetch,
  outboundPolicy,
  outboundRequest,
  refusedHost,
  resolvePublic,
  systemResolve,
  type OutboundInit,
  type OutboundPolicy,
  type OutboundResponse,
  type Resolve,
} from './outbound-request';
export { checkOutboundUrl, checkOutboundUrlShape, type UrlCheck, type UrlRules } from './outbound-url';
export { operatorFetch } from './operator-fetch';
