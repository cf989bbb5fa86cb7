import { Module } from '@nestjs/common';
import { IntercomModule } from '../intercom/intercom.module';
import { StaffController } from './staff.controller';
import { StaffOverviewService } from './staff-overview.service';

@Module({ imports: [IntercomModule], controllers: [StaffController], providers: [StaffOverviewService] })
export class StaffModule {}
