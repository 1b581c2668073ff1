import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { SweepHooks } from './sweep-hooks.js';

@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, SweepHooks],
  exports: [NotificationsService, SweepHooks],
})
export class NotificationsModule {}
