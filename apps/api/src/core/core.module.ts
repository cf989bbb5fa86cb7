import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

/** The config and the database connection, made once by the bootstrap and shared by every feature. */
@Global()
@Module({})
export class CoreModule {
  static register(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DataSource, useValue: dataSource },
      ],
      exports: [APP_CONFIG, DataSource],
    };
  }
}
