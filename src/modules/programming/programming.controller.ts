import { Body, Controller, Get, Header, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AuthUser, CurrentUser, Public, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { DecisionsService } from './decisions.service.js';
import { ProgrammingService } from './programming.service.js';
import { DecisionsResultDto, PutDecisionsDto } from './dto/decision.dto.js';
import { OpenDataQueryDto, ProgrammingDto } from './dto/programming.dto.js';

@ApiTags('programming')
@Controller()
export class ProgrammingController {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly programming: ProgrammingService,
  ) {}

  /**
   * COPIL decisions on one application, all or nothing: per financer the amount granted (0 = refused),
   * never above the request (422), never beyond the envelopes (409 ENVELOPE_EXCEEDED).
   */
  @ApiBearerAuth()
  @Roles('CITY_TEAM')
  @Put('applications/:id/decisions')
  put(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: PutDecisionsDto,
  ): Promise<DecisionsResultDto> {
    return this.decisions.put(user, id, body);
  }

  /** The COPIL’s decisions on an application, per financer, with what was asked. */
  @ApiBearerAuth()
  @Get('applications/:id/decisions')
  get(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<DecisionsResultDto> {
    return this.decisions.get(user, id);
  }

  /** Per theme × financer, per QPV, per transversal priority and co-financing: computed in SQL. */
  @ApiBearerAuth()
  @Roles('CITY_TEAM', 'FINANCER')
  @Get('campaigns/:id/programming')
  table(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ProgrammingDto> {
    return this.programming.table(user, id);
  }

  /** One row per application × financer; `;`-separated UTF-8 with BOM for French Excel; streamed. */
  @ApiBearerAuth()
  @Roles('CITY_TEAM', 'FINANCER')
  @ApiProduces('text/csv')
  @Get('campaigns/:id/programming.csv')
  async csv(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Res() response: Response,
  ): Promise<void> {
    const stream = await this.programming.programmingCsv(user, id);
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="programmation-${id}.csv"`);
    await pipeline(stream, response).catch(() => response.destroy());
  }

  /** The subsidies a partner granted, in the SCDL "Subventions" 2.1.1 open-data format, once programmed. */
  @Public()
  @ApiProduces('text/csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Get('campaigns/:id/open-data.csv')
  openData(@Param('id', UuidParam) id: string, @Query() query: OpenDataQueryDto): Promise<string> {
    return this.programming.openData(id, query.partnerCode);
  }
}
