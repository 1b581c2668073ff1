import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { AuditService } from './audit.service.js';
import { AuditPageDto, AuditQueryDto } from './dto/audit-event.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('CITY_TEAM')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Changes to the contract's applications, campaigns, envelopes, reviews, decisions, conventions, reports and
   * accounts, newest first: who, when, and the changed columns before and after. Read-only. */
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(user, query);
  }
}
