import { Module } from '@nestjs/common';
import { RotationModule } from '../rotation/rotation.module';
import { TokensModule } from '../tokens/tokens.module';
import { VaultModule } from '../vault/vault.module';
import { MetricsCollector } from './metrics-collector';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** `GET /metrics`; the registry and the hot path's instruments are core's (core/metrics.ts). */
@Module({
  imports: [TokensModule, VaultModule, RotationModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsCollector],
})
export class MetricsModule {}
