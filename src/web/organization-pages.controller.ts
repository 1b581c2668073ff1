import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../common/auth.js';
import { UuidParam } from '../common/uuid-param.js';
import { InvitationDto } from '../modules/membership/dto/membership.dto.js';
import { OrganizationsService } from '../modules/membership/organizations.service.js';
import { refusalOf, validateForm, type FormFields } from './form-validation.js';
import { Pages, redirectWithFlash, sendPage, type FieldError, type PageRequest } from './pages.js';
import { one, type Form } from './dossier-forms.js';

const INVITE_FIELDS: FormFields = { email: { id: 'email', label: 'Adresse électronique' } };

/** « Ma structure »: the organisation's record, its pending requests to join, inviting a member. */
@Roles('ASSOCIATION')
@Pages('organisation')
export class OrganizationPagesController {
  constructor(private readonly organizations: OrganizationsService) {}

  private async send(
    request: PageRequest,
    response: Response,
    errors: FieldError[] = [],
    values = {},
    status = 200,
  ) {
    const user = request.user!;
    const [organization, requests] = await Promise.all([
      this.organizations.myOrganization(user),
      this.organizations.joinRequests(user, user.organizationId!),
    ]);
    sendPage(
      request,
      response,
      'organization/members.njk',
      { organization, pending: requests.filter((item) => item.status === 'PENDING'), errors, values },
      status,
    );
  }

  @Get('membres')
  members(@Req() request: PageRequest, @Res() response: Response): Promise<void> {
    return this.send(request, response);
  }

  /** Invites a person by email: the link lets it choose its password and join. */
  @Post('membres')
  async invite(@Req() request: PageRequest, @Res() response: Response, @Body() form: Form): Promise<void> {
    const values = { email: one(form, 'email') };
    const { value, errors } = await validateForm(InvitationDto, values, INVITE_FIELDS);
    if (errors.length === 0) {
      try {
        await this.organizations.invite(request.user!, value.email);
        return redirectWithFlash(
          request,
          response,
          '/organisation/membres',
          `Une invitation a été envoyée à ${value.email}.`,
        );
      } catch (error) {
        errors.push(...refusalOf(error, INVITE_FIELDS));
      }
    }
    await this.send(request, response, errors, values, 422);
  }

  @Post('membres/demandes/:requestId')
  async decide(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('requestId', UuidParam) requestId: string,
    @Body() form: Form,
  ): Promise<void> {
    const accepted = one(form, 'decision') === 'accept';
    await this.organizations.decide(
      request.user!,
      request.user!.organizationId!,
      requestId,
      accepted ? 'ACCEPTED' : 'REFUSED',
    );
    redirectWithFlash(
      request,
      response,
      '/organisation/membres',
      accepted ? 'La demande est acceptée.' : 'La demande est refusée.',
    );
  }
}
