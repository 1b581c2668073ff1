import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ConventionsController } from './conventions.controller.js';
import { ConventionsService } from './conventions.service.js';

@Module({
  imports: [NotificationsModule],
  controllers: [ConventionsController],
  providers: [ConventionsService],
  exports: [ConventionsService],
})
export class ConventionsModule {}
