import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ApplicationsController } from './applications.controller.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';
import { DraftsService } from './drafts.service.js';
import { ApplicationLifecycleService } from './lifecycle.service.js';

@Module({
  imports: [NotificationsModule],
  controllers: [ApplicationsController],
  providers: [ApplicationsRepository, ApplicationsService, DraftsService, ApplicationLifecycleService],
  exports: [ApplicationsRepository, ApplicationsService, DraftsService, ApplicationLifecycleService],
})
export class ApplicationsModule {}
