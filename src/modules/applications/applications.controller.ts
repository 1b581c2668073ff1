import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { ApplicationsService } from './applications.service.js';
import { DraftsService } from './drafts.service.js';
import { ApplicationLifecycleService } from './lifecycle.service.js';
import {
  ApplicationDto,
  ApplicationPageDto,
  ApplicationQueryDto,
  CheckReportDto,
  CreateApplicationDto,
  EligibilityDto,
  RenewApplicationDto,
  ReturnApplicationDto,
  SubmitApplicationDto,
  UpdateApplicationDto,
} from './dto/application.dto.js';

@ApiTags('applications')
@ApiBearerAuth()
@Controller()
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly drafts: DraftsService,
    private readonly lifecycle: ApplicationLifecycleService,
  ) {}

  /** Starts a draft in an open campaign; its reference (2027-EMP-0001) is given at once. */
  @Roles('ASSOCIATION')
  @Post('campaigns/:id/applications')
  create(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) campaignId: string,
    @Body() body: CreateApplicationDto,
  ): Promise<ApplicationDto> {
    return this.drafts.create(user, campaignId, body);
  }

  /** Applications the caller may see: its organisation's, those asking its partner, or the contract's. */
  @Get('applications')
  list(@CurrentUser() user: AuthUser, @Query() query: ApplicationQueryDto): Promise<ApplicationPageDto> {
    return this.applications.list(user, query);
  }

  /** One application as its holder, its contract’s city team or the financers it asks see it. */
  @Get('applications/:id')
  get(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ApplicationDto> {
    return this.applications.get(user, id);
  }

  /**
   * Saves part of a draft (or of a returned application); top-level objects are replaced whole. Send the
   * version read (body `version` or `If-Match`) and a stale edit gets 409 APPLICATION_VERSION_CONFLICT.
   */
  @Roles('ASSOCIATION')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The application version this edit is based on.',
  })
  @Patch('applications/:id')
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateApplicationDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ApplicationDto> {
    const application = await this.drafts.update(user, id, body, ifMatch);
    response.setHeader('etag', `"${application.version}"`);
    return application;
  }

  /** Runs the checks on the application as it is now. */
  @Get('applications/:id/checks')
  checks(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<CheckReportDto> {
    return this.applications.checks(user, id);
  }

  /** Submits with the legal representative's attestation; 422 lists every blocking check. */
  @Roles('ASSOCIATION')
  @HttpCode(200)
  @Post('applications/:id/submit')
  submit(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: SubmitApplicationDto,
  ): Promise<ApplicationDto> {
    return this.lifecycle.submit(user, id, body);
  }

  /** Returns a submitted application to its holder as incomplete, with what to complete. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post('applications/:id/return')
  returnToHolder(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: ReturnApplicationDto,
  ): Promise<ApplicationDto> {
    return this.lifecycle.returnToHolder(user, id, body.message);
  }

  /** Declares a submitted application eligible, or ineligible with the reason the holder will read. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post('applications/:id/eligibility')
  eligibility(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: EligibilityDto,
  ): Promise<ApplicationDto> {
    return this.lifecycle.decideEligibility(user, id, body);
  }

  /** The holder withdraws its application. */
  @Roles('ASSOCIATION')
  @HttpCode(200)
  @Post('applications/:id/withdraw')
  withdraw(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<ApplicationDto> {
    return this.lifecycle.withdraw(user, id);
  }

  /** A new draft in an open campaign, prefilled from this application. */
  @Roles('ASSOCIATION')
  @Post('applications/:id/renew')
  renew(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: RenewApplicationDto,
  ): Promise<ApplicationDto> {
    return this.drafts.renew(user, id, body.campaignId);
  }
}
