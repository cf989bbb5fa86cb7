import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ChangeBus } from './change-bus.service';
import { DatabaseHealth } from './database-health.service';
import { Metrics } from './metrics';
import { TenantEvents } from './tenant-events';

/** The config, the database connection, the cross-replica change bus with its domain events, and the metrics registry, shared by every feature. */
@Global()
@Module({})
export class CoreModule {
  static register(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DataSource, useValue: dataSource },
        ChangeBus,
        DatabaseHealth,
        TenantEvents,
        Metrics,
      ],
      exports: [APP_CONFIG, DataSource, ChangeBus, DatabaseHealth, TenantEvents, Metrics],
    };
  }
}
