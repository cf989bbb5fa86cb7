import { Injectable } from '@nestjs/common';
import { SecretVersionsService } from '../vault/secret-versions.service';
import { IntercomSetupDto } from './dto/intercom.dto';

/** The tenant's Intercom setup as the wizard shows it. */
@Injectable()
export class IntercomService {
  constructor(private readonly secretVersions: SecretVersionsService) {}

  async setup(tenantId: string): Promise<IntercomSetupDto> {
    const secrets = await this.secretVersions.list(tenantId);
    const newest = secrets.find((v) => v.state === 'active');
    return {
      secret: newest
        ? {
            version: newest.version,
            fingerprint: newest.fingerprint,
            last4: newest.last4,
            createdAt: newest.createdAt,
            rotationDueAt: newest.rotationDueAt!,
          }
        : null,
      secrets,
    };
  }
}
