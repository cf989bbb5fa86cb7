import { Logger, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { VaultModule } from '../vault/vault.module';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { REMINDER_KEYRING, type ReminderKeyring, reminderKeyringProvider } from './reminder-keyring';
import { createReminderRunner, ReminderRunner } from './reminder-runner';
import { ReminderScheduler } from './reminder-scheduler';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';

const logger = new Logger('Reminders');

/** Rotation reminders: the job and its schedule, the outbox, in-app notifications and the tenant's webhook. */
@Module({
  imports: [ScheduleModule.forRoot(), AuditModule, VaultModule],
  controllers: [NotificationsController, WebhookController],
  providers: [
    reminderKeyringProvider,
    {
      provide: ReminderRunner,
      inject: [DataSource, APP_CONFIG, REMINDER_KEYRING],
      useFactory: (db: DataSource, config: AppConfig, keyring: ReminderKeyring) =>
        createReminderRunner(
          db,
          config,
          () => keyring.provider,
          (level, message) => (level === 'info' ? logger.log(message) : logger[level](message)),
        ),
    },
    ReminderScheduler,
    NotificationsService,
    WebhookService,
  ],
  exports: [ReminderRunner],
})
export class RotationModule {}
