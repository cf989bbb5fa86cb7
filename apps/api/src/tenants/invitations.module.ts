import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TenantsModule } from './tenants.module';
import { InvitationsController } from './invitations.controller';

/** Accepting an invitation signs the user in, so it sits above both tenants and auth. */
@Module({ imports: [TenantsModule, AuthModule], controllers: [InvitationsController] })
export class InvitationsModule {}
