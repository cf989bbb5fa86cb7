import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Metrics } from '../core/metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Who may read /metrics, and the text they read. */
@Injectable()
export class MetricsService {
  private readonly expected: Buffer | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.expected = config.metricsToken ? digest(`Bearer ${config.metricsToken.reveal()}`) : null;
  }

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  /**
   * Open outside production. In production: 404 while METRICS_TOKEN is unset (as if there were no
   * such route), else the bearer token, compared in constant time (digests of equal length).
   */
  authorize(authorization: string | undefined): void {
    if (this.config.nodeEnv !== 'production') return;
    if (!this.expected) throw new DomainError(ErrorCode.NotFound, 'Not found.');
    if (!timingSafeEqual(digest(authorization ?? ''), this.expected)) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".',
      );
    }
  }

  render(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
