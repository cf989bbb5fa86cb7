import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IntercomModule } from '../intercom/intercom.module';
import { StaffController } from './staff.controller';
import { StaffOverviewService } from './staff-overview.service';

@Module({ imports: [IntercomModule, AuthModule], controllers: [StaffController], providers: [StaffOverviewService] })
export class StaffModule {}
