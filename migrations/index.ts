import { Foundation1732550000000 } from './1732550000000-foundation';
import { Vault1732560000000 } from './1732560000000-vault';
import { Tokens1732580000000 } from './1732580000000-tokens';
import { Audit1732590000000 } from './1732590000000-audit';
import { Rotation1732600000000 } from './1732600000000-rotation';
import { RateWindows1732610000000 } from './1732610000000-rate-windows';
import { SessionRevocation1732620500000 } from './1732620500000-session-revocation';
import { IntercomConnection1732640000000 } from './1732640000000-intercom-connection';
import { IntercomSecretLinks1732665000000 } from './1732665000000-intercom-secret-links';
import { AuditCheckpoints1732653700000 } from './1732653700000-audit-checkpoints';
import { MfaTotp1732660000000 } from './1732660000000-mfa-totp';
import { IntercomRotations1732670000000 } from './1732670000000-intercom-rotations';
import { IntercomOauth1732675000000 } from './1732675000000-intercom-oauth';
import { TenantRequireMfa1732696000000 } from './1732696000000-tenant-require-mfa';
import { TokenPolicy1732680000000 } from './1732680000000-token-policy';
import { OidcSessions1732690000000 } from './1732690000000-oidc-sessions';
import { Passkeys1732697000000 } from './1732697000000-passkeys';
import { OverviewScale1732685000000 } from './1732685000000-overview-scale';
import { OverviewSearchTraffic1732700000000 } from './1732700000000-overview-search-traffic';

/** Every migration, oldest first. Listed explicitly so the same list runs from sources and from dist. */
export const MIGRATIONS = [
  Foundation1732550000000,
  Vault1732560000000,
  Tokens1732580000000,
  Audit1732590000000,
  Rotation1732600000000,
  RateWindows1732610000000,
  SessionRevocation1732620500000,
  IntercomConnection1732640000000,
  AuditCheckpoints1732653700000,
  MfaTotp1732660000000,
  IntercomSecretLinks1732665000000,
  IntercomRotations1732670000000,
  IntercomOauth1732675000000,
  TenantRequireMfa1732696000000,
  TokenPolicy1732680000000,
  // After token-policy and intercom-oauth: tenant_overview copies their columns.
  OverviewScale1732685000000,
  OidcSessions1732690000000,
  Passkeys1732697000000,
  OverviewSearchTraffic1732700000000,
];
