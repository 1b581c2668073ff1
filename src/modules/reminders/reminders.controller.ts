import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { RemindersService } from './reminders.service.js';

export class ReminderJobDto {
  jobId!: string;
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('campaigns/:id/reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  /** Runs the reminder scan of the campaign now (it also runs daily); a reminder is never sent twice. */
  @Roles('CITY_TEAM')
  @HttpCode(202)
  @Post('run')
  run(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ReminderJobDto> {
    return this.reminders.runNow(user, id);
  }
}
