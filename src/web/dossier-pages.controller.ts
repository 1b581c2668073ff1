import { PaymentsService } from '../modules/payments/payments.service.js';
import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApplicationError, forbidden } from '../common/application-error.js';
import { Roles } from '../common/auth.js';
import { UuidParam } from '../common/uuid-param.js';
import { EDITABLE_STATUSES } from '../modules/applications/application-status.js';
import { DraftsService } from '../modules/applications/drafts.service.js';
import {
  ApplicationQueryDto,
  CreateApplicationDto,
  SubmitApplicationDto,
  type ApplicationDto,
} from '../modules/applications/dto/application.dto.js';
import { ApplicationLifecycleService } from '../modules/applications/lifecycle.service.js';
import { ApplicationsService } from '../modules/applications/applications.service.js';
import { CampaignsService } from '../modules/campaigns/campaigns.service.js';
import { ConventionsService } from '../modules/conventions/conventions.service.js';
import { CampaignQueryDto } from '../modules/campaigns/dto/campaign.dto.js';
import {
  COMMITMENTS,
  needsRepublicanCommitment,
  REPUBLICAN_COMMITMENT,
} from '../modules/applications/sworn-statement.js';
import { editableDossier } from './editable-dossier.js';
import { DossierViewService, KIND_LABELS } from './dossier-view.service.js';
import { many, one, type Form } from './dossier-forms.js';
import { refusalOf, validateForm, type FormFields } from './form-validation.js';
import { Pages, redirectWithFlash, sendPage, type FieldError, type PageRequest } from './pages.js';

const NEW_FIELDS: FormFields = {
  title: { id: 'title', label: 'Titre de l’action' },
  themeCode: { id: 'themeCode', label: 'Thème' },
  campaignId: { id: 'campaignId', label: 'Appel à projets' },
};

/**
 * The association's pages (web.md): « Mes dossiers », a new dossier, its task list (its page once
 * submitted), « Vérifier vos réponses » and the submission, « Renouveler ». The sections' pages:
 * `SectionPagesController`, the documents: `AttachmentPagesController`. Every read and write goes through
 * the API's services and their access policy.
 */
@Roles('ASSOCIATION')
@Pages('dossiers')
export class DossierPagesController {
  constructor(
    private readonly view: DossierViewService,
    private readonly applications: ApplicationsService,
    private readonly drafts: DraftsService,
    private readonly lifecycle: ApplicationLifecycleService,
    private readonly campaigns: CampaignsService,
    private readonly conventions: ConventionsService,
    private readonly payments: PaymentsService,
  ) {}

  private async openCampaigns(request: PageRequest) {
    const page = await this.campaigns.list(
      request.user!,
      Object.assign(new CampaignQueryDto(), { limit: 100, offset: 0 }),
    );
    return page.items.filter((campaign) => campaign.status === 'OPEN');
  }

  @Get()
  async list(@Req() request: PageRequest, @Res() response: Response): Promise<void> {
    const user = request.user!;
    const [page, open] = await Promise.all([
      this.applications.list(user, Object.assign(new ApplicationQueryDto(), { limit: 200, offset: 0 })),
      this.openCampaigns(request),
    ]);
    const lastYear = open.length ? open[0].year - 1 : undefined;
    const renewable = page.items.filter(
      (item) =>
        item.status === 'PROGRAMMED' && lastYear !== undefined && item.reference.startsWith(`${lastYear}-`),
    );
    sendPage(request, response, 'dossiers/list.njk', { items: page.items, open, renewable });
  }

  @Get('nouveau')
  async newPage(@Req() request: PageRequest, @Res() response: Response): Promise<void> {
    const open = await this.openCampaigns(request);
    const themes = await this.view.themes(request.user!);
    sendPage(request, response, 'dossiers/new.njk', { open, themes, values: { campaignId: open[0]?.id } });
  }

  @Post('nouveau')
  async create(@Req() request: PageRequest, @Res() response: Response, @Body() form: Form): Promise<void> {
    const values = {
      title: one(form, 'title'),
      themeCode: one(form, 'themeCode'),
      campaignId: one(form, 'campaignId'),
    };
    const { value, errors } = await validateForm(
      CreateApplicationDto,
      { title: values.title, themeCode: values.themeCode },
      NEW_FIELDS,
    );
    if (!values.campaignId) errors.push({ id: 'campaignId', message: 'Choisissez l’appel à projets.' });
    if (errors.length === 0) {
      try {
        const created = await this.drafts.create(request.user!, values.campaignId, value);
        return redirectWithFlash(
          request,
          response,
          `/dossiers/${created.id}`,
          `Le dossier ${created.reference} est créé : complétez chaque rubrique.`,
        );
      } catch (error) {
        if (error instanceof ApplicationError && error.status === 404)
          errors.push({ id: 'campaignId', message: 'Cet appel à projets n’est pas ouvert.' });
        else errors.push(...refusalOf(error, NEW_FIELDS));
      }
    }
    const [open, themes] = await Promise.all([this.openCampaigns(request), this.view.themes(request.user!)]);
    sendPage(request, response, 'dossiers/new.njk', { open, themes, values, errors }, 422);
  }

  /** The task list while the dossier is written; its page (status, history, decisions) once submitted. */
  @Get(':id')
  async dossier(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.view.dossier(request.user!, id);
    if (EDITABLE_STATUSES.includes(dossier.status))
      return sendPage(request, response, 'dossiers/task-list.njk', {
        dossier,
        tasks: this.view.tasks(dossier),
      });
    // The convention's link once it is ready (it is made when the programming closes), its signed copy, the
    // payments.
    const funded = dossier.status === 'PROGRAMMED';
    const absent = () => undefined;
    const [convention, signatures, payments] = funded
      ? await Promise.all([
          this.conventions.status(request.user!, id).catch(absent),
          this.payments.signatures(request.user!, id).catch(absent),
          this.payments.list(request.user!, id).then((page) => page.items),
        ])
      : [undefined, undefined, []];
    sendPage(request, response, 'dossiers/dossier.njk', {
      dossier,
      convention,
      conventionReady: convention?.status === 'READY' || convention?.status === 'SIGNED',
      signedCopy: signatures?.signedCopy,
      payments,
      paymentKinds: { ADVANCE: 'Avance', BALANCE: 'Solde', RECOVERY: 'À reverser' },
      financerNames: Object.fromEntries(
        (await this.view.financers(request.user!)).map((financer) => [financer.code, financer.name]),
      ),
      returned: [...dossier.history].reverse().find((step) => step.toStatus === 'RETURNED'),
    });
  }

  @Get(':id/verifier')
  async verify(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await editableDossier(this.view, request, response, id);
    if (dossier) await this.sendVerify(request, response, dossier, {});
  }

  private async sendVerify(
    request: PageRequest,
    response: Response,
    dossier: ApplicationDto,
    values: Record<string, unknown>,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const [measures, qpvs] = await Promise.all([
      this.view.measuresOf(request.user!, dossier.themeCode),
      this.view.qpvs(request.user!),
    ]);
    sendPage(
      request,
      response,
      'dossiers/verify.njk',
      {
        dossier,
        measure: measures.find((measure) => measure.value === dossier.measureId)?.text,
        qpvNames: dossier.qpvCodes.map((code) => qpvs.find((qpv) => qpv.code === code)?.name ?? code),
        blocking: dossier.checks.filter((check) => check.status === 'FAIL' && check.blocking),
        warnings: dossier.checks.filter(
          (check) => check.status === 'WARN' || (check.status === 'FAIL' && !check.blocking),
        ),
        commitments: Object.entries(COMMITMENTS).map(([value, text]) => ({
          value,
          text: `J’atteste que ${text}.`,
        })),
        askRepublican: needsRepublicanCommitment(dossier.holder.legalForm),
        financerNames: Object.fromEntries(
          (await this.view.financers(request.user!)).map((financer) => [financer.code, financer.name]),
        ),
        republican: { value: 'republicanCommitmentSigned', text: `J’atteste que ${REPUBLICAN_COMMITMENT}.` },
        kindLabels: KIND_LABELS,
        values: {
          signatoryName: dossier.holder.legalRepresentative,
          signatoryRole: 'Président(e)',
          commitments: [],
          ...values,
        },
        errors,
      },
      status,
    );
  }

  @Post(':id/verifier')
  async submit(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const dossier = await editableDossier(this.view, request, response, id);
    if (!dossier) return;
    const commitments = many(form, 'commitments');
    const values = {
      signatoryName: one(form, 'signatoryName'),
      signatoryRole: one(form, 'signatoryRole'),
      commitments,
    };
    const fields: FormFields = {
      'certification.signatoryName': { id: 'signatoryName', label: 'Nom du signataire' },
      'certification.signatoryRole': { id: 'signatoryRole', label: 'Qualité du signataire' },
      certification: { id: 'commitments', label: 'Attestation sur l’honneur' },
      application: { id: 'verifier-problemes', label: 'Dossier' },
    };
    const certification = {
      signatoryName: values.signatoryName.trim(),
      signatoryRole: values.signatoryRole.trim(),
      ...Object.fromEntries(
        [...Object.keys(COMMITMENTS), 'republicanCommitmentSigned'].map((name) => [
          name,
          commitments.includes(name),
        ]),
      ),
    };
    const { value, errors } = await validateForm(SubmitApplicationDto, { certification }, fields);
    if (errors.length === 0) {
      try {
        const submitted = await this.lifecycle.submit(request.user!, id, value);
        return redirectWithFlash(
          request,
          response,
          `/dossiers/${id}`,
          `Votre dossier ${submitted.reference} est déposé. Un accusé de réception vous est envoyé par courriel.`,
        );
      } catch (error) {
        if (error instanceof ApplicationError && error.status === 403) throw forbidden();
        errors.push(
          ...refusalOf(error, fields).map((problem) => ({
            ...problem,
            id:
              problem.id === 'signatoryName' && !/signataire|sign/i.test(problem.message)
                ? 'verifier-problemes'
                : problem.id,
          })),
        );
      }
    }
    await this.sendVerify(request, response, await this.view.dossier(request.user!, id), values, errors, 422);
  }

  /** « Renouveler »: a new draft in the open call from last year's funded action. */
  @Post(':id/renouveler')
  async renew(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const campaignId = one(form, 'campaignId');
    const renewed = await this.drafts.renew(request.user!, id, campaignId);
    redirectWithFlash(
      request,
      response,
      `/dossiers/${renewed.id}`,
      `Le dossier ${renewed.reference} reprend l’action de l’an dernier : vérifiez chaque rubrique.`,
    );
  }
}
