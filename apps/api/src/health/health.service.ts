import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors';
import { DatabaseHealth } from '../core/database-health.service';
import { pendingMigrations } from '../database/data-source';
import { UsersService } from '../users/users.service';
import { VaultKeyring } from '../vault/vault-keyring.service';

type Check = 'ok' | 'failing' | 'pending' | 'missing';

@Injectable()
export class HealthService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly health: DatabaseHealth,
    private readonly keyring: VaultKeyring,
  ) {}

  async readiness(): Promise<{ status: 'ready'; checks: Record<string, Check> }> {
    const checks: Record<string, Check> = {
      database: 'failing',
      migrations: 'pending',
      staffUser: 'missing',
      vaultKeys: 'failing',
    };
    // An HSM or KMS that does not answer: nothing sealed under it opens, so the replica is not ready.
    const keyProblems = this.keyring.keyStoreProblems().then(
      (problems) => (checks.vaultKeys = problems.length ? 'failing' : 'ok'),
      () => undefined,
    );
    try {
      // With a timeout: a hung database makes the replica not ready, it must not hang the probe.
      await this.health.check();
      checks.database = 'ok';
      checks.migrations = (await pendingMigrations(this.db)) ? 'pending' : 'ok';
      checks.staffUser = (await this.users.staffExists()) ? 'ok' : 'missing';
    } catch {
      // The failing check is named in the answer; the cause is in the database's own logs.
    }
    await keyProblems;
    if (Object.values(checks).every((c) => c === 'ok')) return { status: 'ready', checks };
    const failing = Object.entries(checks)
      .filter(([, v]) => v !== 'ok')
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    throw new DomainError(ErrorCode.ServiceUnavailable, `Not ready (${failing}).`);
  }
}
