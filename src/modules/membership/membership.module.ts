import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { AccountLinksController, OrganizationsController } from './membership.controller.js';
import { AccountLinks } from './account-links.js';
import { MembershipService } from './membership.service.js';
import { OrganizationsService } from './organizations.service.js';

/** Registration, links sent by e-mail (confirmation, reset, invitation), requests to join, suspensions. */
@Module({
  imports: [NotificationsModule],
  controllers: [AccountLinksController, OrganizationsController],
  providers: [MembershipService, OrganizationsService, AccountLinks],
  exports: [MembershipService, OrganizationsService],
})
export class MembershipModule {}
