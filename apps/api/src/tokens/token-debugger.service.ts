import { Inject, Injectable } from '@nestjs/common';
import { importHmacKey, inspectToken, type TokenInspection } from '@messenger-vault/intercom';
import { DomainError, ErrorCode } from '../common/errors';
import { DebugTokenResultDto } from './dto/identity-provider.dto';
import { SIGNING_KEYS, SigningKeySource } from './signing-keys';
import { TenantTokenConfigService } from './tenant-token-config.service';

/**
 * The token debugger: decodes a pasted JWT and checks it against every key the tenant may have
 * signed with (active and previous versions), so "signed with the old key" is told apart from
 * "signed with some other key".
 */
@Injectable()
export class TokenDebuggerService {
  constructor(
    private readonly configs: TenantTokenConfigService,
    @Inject(SIGNING_KEYS) private readonly keys: SigningKeySource,
  ) {}

  async inspect(tenantId: string, token: string): Promise<DebugTokenResultDto> {
    const [config, keys] = await Promise.all([this.configs.get(tenantId), this.keys.verificationKeys(tenantId)]);
    if (keys.length === 0) {
      throw new DomainError(
        ErrorCode.Conflict,
        'There is no saved Messenger secret to check tokens against. Save your secret key in step 2 first.',
      );
    }
    const policy = { maxTtlSeconds: config.tokenTtlSeconds, allowEmailUserId: config.policy.allowEmailUserIds };
    const now = new Date();
    let first: { result: TokenInspection; version: number } | null = null;
    for (const key of keys) {
      const result = await inspectToken(token, await importHmacKey(key.secret.reveal()), policy, now);
      const signatureOk = !result.problems.some((p) => p.code === 'bad_signature');
      if (signatureOk && result.header) return { ...result, keyVersion: key.version };
      first ??= { result, version: key.version };
    }
    return { ...first!.result, keyVersion: null };
  }
}
