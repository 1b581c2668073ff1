import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { AccountsService } from '../../modules/accounts/accounts.service.js';
import { CreateUserDto } from '../../modules/accounts/dto/auth.dto.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { AuditQueryDto } from '../../modules/audit/dto/audit-event.dto.js';
import { CampaignsService } from '../../modules/campaigns/campaigns.service.js';
import { CampaignQueryDto } from '../../modules/campaigns/dto/campaign.dto.js';
import { ConventionsService } from '../../modules/conventions/conventions.service.js';
import { NotificationQueryDto } from '../../modules/notifications/dto/notification.dto.js';
import { NotificationsService } from '../../modules/notifications/notifications.service.js';
import { UpdatePartnerDto } from '../../modules/referential/dto/referential.dto.js';
import { ReferentialService } from '../../modules/referential/referential.service.js';
import { one, type Form } from '../dossier-forms.js';
import { DossierViewService } from '../dossier-view.service.js';
import { refusalOf, validateForm, type FormFields } from '../form-validation.js';
import {
  Pages,
  redirectWithFlash,
  sendDownload,
  sendPage,
  type FieldError,
  type PageRequest,
} from '../pages.js';
import { AUDIT_TABLE_LABELS, auditLines } from './labels.js';
import { pageNumberOf, pagination } from '../list-links.js';

const PAGE_SIZE = 50;
const CONVENTION_STATUSES = { PENDING: 'En préparation', READY: 'Prête', FAILED: 'En échec' } as const;
const EMAIL_STATUSES = { PENDING: 'En attente', SENT: 'Envoyé', FAILED: 'En échec' } as const;

const USER_FIELDS: FormFields = {
  displayName: { id: 'displayName', label: 'Nom et prénom' },
  email: { id: 'email', label: 'Adresse électronique' },
  role: { id: 'role', label: 'Rôle' },
  partnerCode: { id: 'partnerCode', label: 'Institution' },
  password: { id: 'password', label: 'Mot de passe provisoire' },
};

/**
 * The city team's follow-up pages (web.md « City team »): the conventions (state, regenerate, download), the
 * emails (pending, failed, « Renvoyer »), the users (create financers' agents and city-team members, disable
 * one), the referential (partners editable as the API allows) and the audit log with its filters.
 */
@Roles('CITY_TEAM')
@Pages('pilotage')
export class AdminPagesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly conventions: ConventionsService,
    private readonly notifications: NotificationsService,
    private readonly accounts: AccountsService,
    private readonly referential: ReferentialService,
    private readonly audit: AuditService,
    private readonly view: DossierViewService,
  ) {}

  @Get('conventions')
  async conventionList(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const user = request.user!;
    const campaigns = (
      await this.campaigns.list(user, Object.assign(new CampaignQueryDto(), { limit: 100, offset: 0 }))
    ).items;
    const campaign =
      campaigns.find((item) => item.id === query.campagne) ??
      campaigns.find((item) => item.status === 'PROGRAMMED') ??
      campaigns[0];
    const status = Object.keys(CONVENTION_STATUSES).find((value) => value === query.statut) ?? '';
    const pageNumber = pageNumberOf(query);
    const list = campaign
      ? await this.conventions.listOfCampaign(user, campaign.id, {
          status: status || undefined,
          limit: PAGE_SIZE,
          offset: (pageNumber - 1) * PAGE_SIZE,
        })
      : { rows: [], total: 0 };
    sendPage(request, response, 'city-team/conventions.njk', {
      area: 'conventions',
      campaigns,
      selected: campaign,
      status,
      statuses: Object.entries(CONVENTION_STATUSES).map(([value, text]) => ({ value, text })),
      statusLabels: CONVENTION_STATUSES,
      list,
      ...pagination(
        '/pilotage/conventions',
        { campagne: campaign?.id ?? '', statut: status },
        pageNumber,
        list.total,
        PAGE_SIZE,
      ),
    });
  }

  @Post('conventions/:applicationId/regenerer')
  async regenerate(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('applicationId', UuidParam) applicationId: string,
    @Body() form: Form,
  ): Promise<void> {
    await this.conventions.regenerate(request.user!, applicationId);
    const back = one(form, 'retour');
    redirectWithFlash(
      request,
      response,
      back.startsWith('/pilotage/conventions') ? back : '/pilotage/conventions',
      'La convention est remise en préparation : elle sera prête dans quelques instants.',
    );
  }

  @Get('conventions/:applicationId/convention.pdf')
  async conventionPdf(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('applicationId', UuidParam) applicationId: string,
  ): Promise<void> {
    const { number, pdf } = await this.conventions.pdf(request.user!, applicationId);
    sendDownload(response, { contentType: 'application/pdf', filename: `${number}.pdf`, content: pdf });
  }

  @Get('courriels')
  async emails(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const status = Object.keys(EMAIL_STATUSES).find((value) => value === query.statut) ?? '';
    const pageNumber = pageNumberOf(query);
    const list = await this.notifications.list(
      request.user!,
      Object.assign(new NotificationQueryDto(), {
        ...(status ? { status } : {}),
        limit: PAGE_SIZE,
        offset: (pageNumber - 1) * PAGE_SIZE,
      }),
    );
    sendPage(request, response, 'city-team/emails.njk', {
      area: 'emails',
      list,
      status,
      statuses: Object.entries(EMAIL_STATUSES).map(([value, text]) => ({ value, text })),
      statusLabels: EMAIL_STATUSES,
      ...pagination('/pilotage/courriels', { statut: status }, pageNumber, list.total, PAGE_SIZE),
    });
  }

  /** « Renvoyer »: a failed email is queued again. */
  @Post('courriels/:id/renvoyer')
  async resend(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const email = await this.notifications.resend(request.user!, id);
    redirectWithFlash(
      request,
      response,
      '/pilotage/courriels?statut=FAILED',
      `Le courriel à ${email.to} est renvoyé.`,
    );
  }

  private async sendUsers(
    request: PageRequest,
    response: Response,
    query: Record<string, string | undefined>,
    values: Record<string, string>,
    errors: FieldError[],
  ) {
    const pageNumber = pageNumberOf(query);
    const [list, financers] = await Promise.all([
      this.accounts.listStaff(request.user!, { limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE }),
      this.view.financers(request.user!),
    ]);
    sendPage(
      request,
      response,
      'city-team/users.njk',
      {
        area: 'users',
        list,
        values,
        errors,
        financers: financers.map((financer) => ({ value: financer.code, text: financer.name })),
        partnerNames: Object.fromEntries(financers.map((financer) => [financer.code, financer.name])),
        ...pagination('/pilotage/utilisateurs', {}, pageNumber, list.total, PAGE_SIZE),
      },
      errors.length ? 422 : 200,
    );
  }

  @Get('utilisateurs')
  async users(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    await this.sendUsers(request, response, query, { role: 'FINANCER' }, []);
  }

  /** A financer's agent or a city-team member, with a provisional password changed at first sign-in. */
  @Post('utilisateurs')
  async createUser(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Body() form: Form,
  ): Promise<void> {
    const values = Object.fromEntries(
      ['displayName', 'email', 'role', 'partnerCode', 'password'].map((name) => [name, one(form, name)]),
    );
    const plain = {
      displayName: values.displayName,
      email: values.email,
      role: values.role,
      password: values.password,
      ...(values.role === 'FINANCER' && values.partnerCode ? { partnerCode: values.partnerCode } : {}),
    };
    const { value, errors } = await validateForm(CreateUserDto, plain, USER_FIELDS);
    if (values.role === 'FINANCER' && !values.partnerCode)
      errors.push({ id: 'partnerCode', message: 'Choisissez l’institution de ce financeur.' });
    if (errors.length) return this.sendUsers(request, response, {}, { ...values, password: '' }, errors);
    try {
      const user = await this.accounts.createUser(request.user!, value, true);
      redirectWithFlash(
        request,
        response,
        '/pilotage/utilisateurs',
        `Le compte de ${user.displayName} est créé. Communiquez-lui son mot de passe provisoire : il le changera à sa première connexion.`,
      );
    } catch (error) {
      await this.sendUsers(request, response, {}, { ...values, password: '' }, refusalOf(error, USER_FIELDS));
    }
  }

  @Get('utilisateurs/:id/desactiver')
  async confirmDisable(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const list = await this.accounts.listStaff(request.user!, { limit: 500, offset: 0 });
    const target = list.items.find((item) => item.id === id && !item.disabled);
    if (!target) return response.redirect(303, '/pilotage/utilisateurs');
    sendPage(request, response, 'city-team/user-disable.njk', { area: 'users', target });
  }

  @Post('utilisateurs/:id/desactiver')
  async disable(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    try {
      const user = await this.accounts.disableUser(request.user!, id);
      redirectWithFlash(
        request,
        response,
        '/pilotage/utilisateurs',
        `Le compte de ${user.displayName} est désactivé : ses sessions sont fermées.`,
      );
    } catch (error) {
      const [first] = refusalOf(error, { id: { id: 'contenu', label: 'Compte' } });
      redirectWithFlash(request, response, '/pilotage/utilisateurs', first?.message);
    }
  }

  private async sendReferential(
    request: PageRequest,
    response: Response,
    values: Record<string, Record<string, string>>,
    errors: FieldError[],
    status = 200,
  ) {
    const user = request.user!;
    const [themes, partners, qpvs] = await Promise.all([
      this.view.themes(user),
      this.view.partners(user),
      this.view.qpvs(user),
    ]);
    sendPage(
      request,
      response,
      'city-team/referential.njk',
      { area: 'referential', themes, partners, qpvs, values, errors },
      status,
    );
  }

  @Get('referentiel')
  async referentialPage(@Req() request: PageRequest, @Res() response: Response): Promise<void> {
    await this.sendReferential(request, response, {}, []);
  }

  /** A partner's name, SIRET (its open data's idAttribuant), whether it finances and who signs for it. */
  @Post('referentiel/partenaires/:code')
  async updatePartner(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('code') code: string,
    @Body() form: Form,
  ): Promise<void> {
    const values = {
      name: one(form, 'name'),
      siret: one(form, 'siret'),
      isFinancer: one(form, 'isFinancer'),
      signatory: one(form, 'signatory'),
    };
    const fields: FormFields = {
      name: { id: `name-${code}`, label: 'Nom' },
      siret: { id: `siret-${code}`, label: 'SIRET' },
      isFinancer: { id: `isFinancer-${code}`, label: 'Financeur' },
      signatory: { id: `signatory-${code}`, label: 'Signataire des conventions' },
    };
    const plain = {
      name: values.name,
      ...(values.siret.trim() ? { siret: values.siret.replace(/\s/g, '') } : {}),
      isFinancer: values.isFinancer === 'oui',
      signatory: values.signatory.trim(),
    };
    const { value, errors } = await validateForm(UpdatePartnerDto, plain, fields);
    if (errors.length) return this.sendReferential(request, response, { [code]: values }, errors, 422);
    try {
      const partner = await this.referential.updatePartner(request.user!, code, value);
      redirectWithFlash(
        request,
        response,
        '/pilotage/referentiel',
        `${partner.name} : modifications enregistrées.`,
      );
    } catch (error) {
      await this.sendReferential(request, response, { [code]: values }, refusalOf(error, fields), 422);
    }
  }

  @Get('journal')
  async auditLog(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query() query: Record<string, string | undefined>,
  ): Promise<void> {
    const table = Object.keys(AUDIT_TABLE_LABELS).find((value) => value === query.table) ?? '';
    const row = /^[0-9a-f-]{36}$/i.test(query.ligne ?? '') ? query.ligne! : '';
    const pageNumber = pageNumberOf(query);
    const list = await this.audit.list(
      request.user!,
      Object.assign(new AuditQueryDto(), {
        ...(table ? { tableName: table } : {}),
        ...(row ? { rowId: row } : {}),
        limit: PAGE_SIZE,
        offset: (pageNumber - 1) * PAGE_SIZE,
      }),
    );
    sendPage(request, response, 'city-team/audit.njk', {
      area: 'audit',
      lines: auditLines(list.items),
      total: list.total,
      table,
      row,
      tables: Object.entries(AUDIT_TABLE_LABELS).map(([value, text]) => ({ value, text })),
      ...pagination('/pilotage/journal', { table, ligne: row }, pageNumber, list.total, PAGE_SIZE),
    });
  }
}
