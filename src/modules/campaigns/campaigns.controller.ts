import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { CampaignsService } from './campaigns.service.js';
import {
  CampaignDto,
  CampaignPageDto,
  CampaignQueryDto,
  CreateCampaignDto,
  EnvelopePageDto,
  PutEnvelopesDto,
  PutDeliberationsDto,
} from './dto/campaign.dto.js';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  /** Creates the year's appel à projets (status DRAFT); rules and scoring grid default to the protocol's. */
  @Roles('CITY_TEAM')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCampaignDto): Promise<CampaignDto> {
    return this.campaigns.create(user, body);
  }

  /** The campaigns the caller may see, newest year first. */
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: CampaignQueryDto): Promise<CampaignPageDto> {
    return this.campaigns.list(user, query);
  }

  /** One campaign: calendar, rules, scoring grid and status. */
  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<CampaignDto> {
    return this.campaigns.get(user, id);
  }

  /** Replaces the campaign's envelopes: what each financer puts in, per theme or for all themes. */
  @Roles('CITY_TEAM')
  @Put(':id/envelopes')
  putEnvelopes(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: PutEnvelopesDto,
  ): Promise<EnvelopePageDto> {
    return this.campaigns.putEnvelopes(user, id, body);
  }

  /** Records each financer's deliberation (or decision) reference for the year; conventions cite them. */
  @Roles('CITY_TEAM')
  @Put(':id/deliberations')
  putDeliberations(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: PutDeliberationsDto,
  ): Promise<CampaignDto> {
    return this.campaigns.putDeliberations(user, id, body);
  }

  /** The campaign’s envelopes per financer and theme, with what is granted and what remains. */
  @Roles('CITY_TEAM', 'FINANCER')
  @Get(':id/envelopes')
  envelopes(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<EnvelopePageDto> {
    return this.campaigns.envelopes(user, id);
  }

  /** DRAFT → OPEN: associations may apply. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post(':id/open')
  open(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<CampaignDto> {
    return this.campaigns.transition(user, id, 'OPEN');
  }

  /** OPEN → REVIEW: submissions close (the city team may close them before the deadline). */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post(':id/close-submissions')
  closeSubmissions(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<CampaignDto> {
    return this.campaigns.transition(user, id, 'REVIEW');
  }

  /** REVIEW → PROGRAMMED: decisions are frozen. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post(':id/close-programming')
  closeProgramming(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<CampaignDto> {
    return this.campaigns.transition(user, id, 'PROGRAMMED');
  }
}
