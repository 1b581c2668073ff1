import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { NotificationsService } from './notifications.service.js';
import { NotificationDto, NotificationPageDto, NotificationQueryDto } from './dto/notification.dto.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Roles('CITY_TEAM')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** Sent, pending and failed emails of the contract, newest first. */
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: NotificationQueryDto): Promise<NotificationPageDto> {
    return this.notifications.list(user, query);
  }

  /** Sends a failed email again. */
  @HttpCode(202)
  @Post(':id/resend')
  resend(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<NotificationDto> {
    return this.notifications.resend(user, id);
  }
}
