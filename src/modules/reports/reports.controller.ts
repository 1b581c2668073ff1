import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { ReportsService } from './reports.service.js';
import { PutReportDto, ReportDto } from './dto/report.dto.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('applications/:id/report')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Saves the end-of-action report (CERFA 15059 content) of a funded application, while it is a draft. */
  @Roles('ASSOCIATION')
  @Put()
  put(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: PutReportDto,
  ): Promise<ReportDto> {
    return this.reports.put(user, id, body);
  }

  /** Submits the report; 422 lists every blocking check (unbalanced, unexplained variance over 15 %). */
  @Roles('ASSOCIATION')
  @HttpCode(200)
  @Post('submit')
  submit(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ReportDto> {
    return this.reports.submit(user, id);
  }

  /** The end-of-action report of a funded application. */
  @Get()
  get(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ReportDto> {
    return this.reports.get(user, id);
  }
}
