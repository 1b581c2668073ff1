import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { ReferentialService } from './referential.service.js';
import {
  PartnerDto,
  PartnerPageDto,
  QpvPageDto,
  ReferentialQueryDto,
  ThemePageDto,
  UpdatePartnerDto,
} from './dto/referential.dto.js';

@ApiTags('referential')
@ApiBearerAuth()
@Controller()
export class ReferentialController {
  constructor(private readonly referential: ReferentialService) {}

  /** Themes of the contract with their stakes (enjeux) and measures, each with its lead and associated partners. */
  @Get('themes')
  themes(@CurrentUser() user: AuthUser, @Query() query: ReferentialQueryDto): Promise<ThemePageDto> {
    return this.referential.themes(user, query);
  }

  /** Partners of the contract (financers and associated partners), with their parent where they are a service. */
  @Get('partners')
  partners(@CurrentUser() user: AuthUser, @Query() query: ReferentialQueryDto): Promise<PartnerPageDto> {
    return this.referential.partners(user, query);
  }

  /** Updates a partner of the caller's contract: its name, its SIRET (for open data), whether it finances. */
  @Roles('CITY_TEAM')
  @Patch('partners/:code')
  updatePartner(
    @CurrentUser() user: AuthUser,
    @Param('code') code: string,
    @Body() body: UpdatePartnerDto,
  ): Promise<PartnerDto> {
    return this.referential.updatePartner(user, code, body);
  }

  /** Quartiers prioritaires of the contract. */
  @Get('qpvs')
  qpvs(@CurrentUser() user: AuthUser, @Query() query: ReferentialQueryDto): Promise<QpvPageDto> {
    return this.referential.qpvs(user, query);
  }
}
