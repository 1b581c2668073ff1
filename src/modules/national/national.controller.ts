import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth.js';
import { NationalService } from './national.service.js';
import { NationalSummaryDto, NationalSummaryQueryDto } from './dto/national-summary.dto.js';

@ApiTags('national')
@ApiBearerAuth()
@Controller('national')
export class NationalController {
  constructor(private readonly national: NationalService) {}

  /**
   * The year's figures of every contract hosted, theme × financer (NATIONAL only: the national agency's
   * follow-up of the calls for projects; sums, no application or person named).
   */
  @Roles('NATIONAL')
  @Get('summary')
  summary(@Query() query: NationalSummaryQueryDto): Promise<NationalSummaryDto> {
    return this.national.summary(query.year);
  }
}
