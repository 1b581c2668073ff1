import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AllowedToRestrictedAccount,
  AuthUser,
  CurrentUser,
  Public,
  Roles,
  ROLES,
} from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { RegisterDto, RegisterResultDto, UserDto } from '../accounts/dto/auth.dto.js';
import {
  AcceptInvitationDto,
  InvitationCreatedDto,
  InvitationDto,
  JoinRequestAcceptedDto,
  JoinRequestListDto,
  MyOrganizationDto,
  OrganizationListDto,
  OrganizationSummaryDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SuspensionDto,
  TokenDto,
  UpdateOrganizationDto,
} from './dto/membership.dto.js';
import { MembershipService } from './membership.service.js';
import { OrganizationsService } from './organizations.service.js';

@ApiTags('auth')
@Controller('auth')
export class AccountLinksController {
  constructor(private readonly membership: MembershipService) {}

  /**
   * Registers a project holder (association) and its first member: 201. When an organisation with that SIRET
   * or RNA is registered already: 202 `{joinRequestId}`, the account waits until a member accepts it.
   * Either way a confirmation link is emailed.
   */
  @Public()
  @Post('register')
  async register(
    @Body() body: RegisterDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RegisterResultDto | JoinRequestAcceptedDto> {
    const outcome = await this.membership.register(body);
    if (outcome.kind === 'REGISTERED') return outcome.result;
    response.status(202);
    return { joinRequestId: outcome.joinRequestId };
  }

  /** Emails a single-use reset link (1 hour) if the address has an account: 202 either way. */
  @Public()
  @HttpCode(202)
  @Post('password-reset')
  async requestPasswordReset(@Body() body: PasswordResetRequestDto): Promise<void> {
    await this.membership.requestPasswordReset(body.email);
  }

  /** Sets a new password with the link's token; every session of that user closes. Used or expired: 422. */
  @Public()
  @HttpCode(204)
  @Post('password-reset/confirm')
  confirmPasswordReset(@Body() body: PasswordResetConfirmDto): Promise<void> {
    return this.membership.confirmPasswordReset(body.token, body.newPassword);
  }

  /** Confirms an address (one's own, or an organisation's contact address) with the link's token. */
  @Public()
  @HttpCode(204)
  @Post('confirm-email')
  confirmEmail(@Body() body: TokenDto): Promise<void> {
    return this.membership.confirmEmail(body.token);
  }

  /** Sends the confirmation links again (one's own address, the organisation's contact address). */
  @ApiBearerAuth()
  @Roles(...ROLES)
  @AllowedToRestrictedAccount()
  @HttpCode(202)
  @Post('confirm-email/resend')
  async resendConfirmation(@CurrentUser() user: AuthUser): Promise<void> {
    await this.membership.resendConfirmation(user);
  }

  /** Creates the invited person's account, a member of the organisation that invited it. */
  @Public()
  @Post('accept-invitation')
  acceptInvitation(@Body() body: AcceptInvitationDto): Promise<UserDto> {
    return this.membership.acceptInvitation(body.token, body.displayName, body.password);
  }
}

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  /** My organisation's record. */
  @Roles('ASSOCIATION')
  @Get('mine')
  mine(@CurrentUser() user: AuthUser): Promise<MyOrganizationDto> {
    return this.organizations.myOrganization(user);
  }

  /**
   * Changes my organisation's record (its SIRET added later, a new address), checked as at registration; a
   * new contact address is confirmed by a link before official emails go to it.
   */
  @Roles('ASSOCIATION')
  @Patch('mine')
  updateMine(@CurrentUser() user: AuthUser, @Body() body: UpdateOrganizationDto): Promise<MyOrganizationDto> {
    return this.organizations.updateMyOrganization(user, body);
  }

  /** The requests to join my organisation, pending first. */
  @Roles('ASSOCIATION')
  @Get('mine/join-requests')
  async myJoinRequests(@CurrentUser() user: AuthUser): Promise<JoinRequestListDto> {
    return { items: await this.organizations.joinRequests(user, user.organizationId!) };
  }

  /** Accepts a request to join my organisation: the requester becomes a member and is emailed. */
  @Roles('ASSOCIATION')
  @HttpCode(200)
  @Post('mine/join-requests/:id/accept')
  async acceptMine(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<void> {
    await this.organizations.decide(user, user.organizationId!, id, 'ACCEPTED');
  }

  /** Refuses a request to join my organisation; the requester is emailed. */
  @Roles('ASSOCIATION')
  @HttpCode(200)
  @Post('mine/join-requests/:id/refuse')
  async refuseMine(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<void> {
    await this.organizations.decide(user, user.organizationId!, id, 'REFUSED');
  }

  /** Invites someone by e-mail to join my organisation (a link valid 7 days). */
  @Roles('ASSOCIATION')
  @HttpCode(202)
  @Post('mine/invitations')
  invite(@CurrentUser() user: AuthUser, @Body() body: InvitationDto): Promise<InvitationCreatedDto> {
    return this.organizations.invite(user, body.email);
  }

  /** The organisations the city team oversees (those that applied to its calls, and new ones), newest first. */
  @Roles('CITY_TEAM')
  @Get()
  async list(@CurrentUser() user: AuthUser): Promise<OrganizationListDto> {
    return { items: await this.organizations.list(user) };
  }

  /** The requests to join an organisation the city team oversees. */
  @Roles('CITY_TEAM')
  @Get(':id/join-requests')
  async joinRequests(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
  ): Promise<JoinRequestListDto> {
    return { items: await this.organizations.joinRequests(user, id) };
  }

  /** The city team accepts a request to join an organisation it oversees. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post(':id/join-requests/:requestId/accept')
  async accept(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Param('requestId', UuidParam) requestId: string,
  ): Promise<void> {
    await this.organizations.decide(user, id, requestId, 'ACCEPTED');
  }

  /** The city team refuses a request to join an organisation it oversees. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post(':id/join-requests/:requestId/refuse')
  async refuse(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Param('requestId', UuidParam) requestId: string,
  ): Promise<void> {
    await this.organizations.decide(user, id, requestId, 'REFUSED');
  }

  /** Suspends an organisation registered by someone who does not represent it: its members can no longer act. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post(':id/suspend')
  suspend(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
    @Body() body: SuspensionDto,
  ): Promise<OrganizationSummaryDto> {
    return this.organizations.suspend(user, id, body.reason);
  }

  /** Lifts an organisation's suspension: its members can act again. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post(':id/reinstate')
  reinstate(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam) id: string,
  ): Promise<OrganizationSummaryDto> {
    return this.organizations.suspend(user, id, null);
  }
}
