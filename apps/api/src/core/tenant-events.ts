import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ALL_KEYS, ChangeBus } from './change-bus.service';

// The wire name predates the event and stays, so replicas of the previous release still hear it
// during a rolling deploy.
const TENANT_SETTINGS_CHANGED = 'tenant_config';

/**
 * Domain events about a tenant, carried by the change bus to every replica. Whoever changes a
 * tenant says what happened; whoever caches something about a tenant subscribes. Neither side
 * knows the other (a new cache subscribes here, a new setting publishes here).
 */
@Injectable()
export class TenantEvents {
  constructor(private readonly bus: ChangeBus) {}

  /**
   * The tenant's settings changed: its APP_ID, token settings, identity provider, or whether it
   * is live. Call it inside the transaction that makes the change; other replicas hear it on commit.
   */
  settingsChanged(tenantId: string, tx?: EntityManager): Promise<void> {
    return this.bus.publish(TENANT_SETTINGS_CHANGED, tenantId, tx);
  }

  /**
   * `handler` receives the tenant id, or `ALL_KEYS` when notices may have been missed (drop or
   * mark stale everything). Returns the function that unsubscribes.
   */
  onSettingsChanged(handler: (tenantId: string | typeof ALL_KEYS) => void): () => void {
    return this.bus.subscribe(TENANT_SETTINGS_CHANGED, handler);
  }
}
