import {
  Body,
  CallHandler,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  NestInterceptor,
  Param,
  Post,
  Req,
  Res,
  SetMetadata,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { ApplicationError, forbidden } from '../common/application-error.js';
import { Roles } from '../common/auth.js';
import { UuidParam } from '../common/uuid-param.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { EDITABLE_STATUSES } from '../modules/applications/application-status.js';
import { DraftsService } from '../modules/applications/drafts.service.js';
import {
  ApplicationQueryDto,
  CreateApplicationDto,
  SubmitApplicationDto,
  UpdateApplicationDto,
  type ApplicationDto,
} from '../modules/applications/dto/application.dto.js';
import { ApplicationLifecycleService } from '../modules/applications/lifecycle.service.js';
import { ApplicationsService } from '../modules/applications/applications.service.js';
import { AttachmentsService, type UploadedFile as File } from '../modules/attachments/attachments.service.js';
import { MAX_ATTACHMENT_BYTES } from '../modules/attachments/file-type.js';
import { CampaignsService } from '../modules/campaigns/campaigns.service.js';
import { ConventionsService } from '../modules/conventions/conventions.service.js';
import { CampaignQueryDto } from '../modules/campaigns/dto/campaign.dto.js';
import {
  COMMITMENTS,
  needsRepublicanCommitment,
  REPUBLICAN_COMMITMENT,
} from '../modules/applications/sworn-statement.js';
import { DossierViewService } from './dossier-view.service.js';
import {
  AGE_FIELDS,
  budgetRows,
  gridEdit,
  gridView,
  many,
  one,
  parseBudget,
  parsePriorities,
  parseProject,
  parsePublics,
  rowsOfBudget,
  type BudgetRows,
  type Form,
  type Parsed,
  withoutBlankRows,
} from './dossier-forms.js';
import { refusalOf, toFieldErrors, validateForm, type FormFields } from './form-validation.js';
import { Pages, redirectWithFlash, sendPage, type FieldError, type PageRequest } from './pages.js';
import { csrfRefusal } from './session.js';
import { checksOf, type SectionKey } from './task-list.js';
import { CSRF_AFTER_UPLOAD } from './page.guard.js';

/** The kinds of documents, as the attachments page names them. */
const KIND_LABELS: Record<string, string> = {
  STATUTES: 'Statuts de la structure',
  BANK_DETAILS: 'Relevé d’identité bancaire (RIB)',
  ACCOUNTS: 'Derniers comptes approuvés',
  ACTIVITY_REPORT: 'Dernier rapport d’activité',
  POWER_OF_ATTORNEY: 'Pouvoir du signataire (s’il n’est pas le représentant légal)',
  OTHER: 'Autre document',
};

const PROJECT_FIELDS: FormFields = {
  title: { id: 'title', label: 'Titre de l’action' },
  summary: { id: 'summary', label: 'Résumé' },
  objectives: { id: 'objectives', label: 'Objectifs' },
  description: { id: 'description', label: 'Description' },
  measureId: { id: 'measureId', label: 'Mesure du contrat de ville' },
  stakeId: { id: 'measureId', label: 'Mesure du contrat de ville' },
  location: { id: 'location', label: 'Lieu de l’action' },
  startDate: { id: 'startDate', label: 'Date de début' },
  endDate: { id: 'endDate', label: 'Date de fin' },
  indicators: { id: 'indicatorLabel-0', label: 'Indicateurs' },
  version: { id: 'title', label: 'Dossier' },
};
const PUBLICS_FIELDS: FormFields = {
  qpvCodes: { id: 'qpvCodes', label: 'Quartiers prioritaires' },
  'beneficiaries.total': { id: 'total', label: 'Nombre total de bénéficiaires' },
  'beneficiaries.qpvResidents': { id: 'qpvResidents', label: 'Dont habitants des quartiers prioritaires' },
  'beneficiaries.women': { id: 'women', label: 'Femmes' },
  'beneficiaries.men': { id: 'men', label: 'Hommes' },
  ...Object.fromEntries(
    AGE_FIELDS.map(([band, id]) => [`beneficiaries.byAge.${band}`, { id, label: `${band} ans` }]),
  ),
  beneficiaries: { id: 'total', label: 'Bénéficiaires' },
  version: { id: 'total', label: 'Dossier' },
};
const PRIORITY_FIELDS: FormFields = {
  'priorities.genderEquality.marker': {
    id: 'genderMarker',
    label: 'Place de l’égalité femmes-hommes dans l’action',
  },
  'priorities.genderEquality.measures': {
    id: 'genderMeasures',
    label: 'Égalité femmes-hommes : mesures prises',
  },
  'priorities.genderEquality.womenShareJustification': {
    id: 'womenShareJustification',
    label: 'Part des femmes : explication',
  },
  'priorities.youth.measures': { id: 'youthMeasures', label: 'Jeunesse : mesures prises' },
  'priorities.antiDiscrimination.measures': {
    id: 'antiDiscriminationMeasures',
    label: 'Lutte contre les discriminations : mesures prises',
  },
  priorities: { id: 'genderMarker', label: 'Priorités transversales' },
  version: { id: 'genderMarker', label: 'Dossier' },
};
const NEW_FIELDS: FormFields = {
  title: { id: 'title', label: 'Titre de l’action' },
  themeCode: { id: 'themeCode', label: 'Thème' },
  campaignId: { id: 'campaignId', label: 'Appel à projets' },
};

/** Budget fields: one id per row, as the grid numbers them. */
function budgetFields(rows: BudgetRows, othersFirst: number, financerCodes: string[]): FormFields {
  const fields: FormFields = { budget: { id: 'budget', label: 'Budget' } };
  rows.charges.forEach((_row, index) => {
    fields[`budget.charges[${index}].account`] = {
      id: `chargeAccount-${index}`,
      label: `Compte de la charge ${index + 1}`,
    };
    fields[`budget.charges[${index}].label`] = {
      id: `chargeLabel-${index}`,
      label: `Libellé de la charge ${index + 1}`,
    };
    fields[`budget.charges[${index}].amountCents`] = {
      id: `chargeAmount-${index}`,
      label: `Montant de la charge ${index + 1}`,
    };
  });
  financerCodes.forEach((code, index) => {
    fields[`budget.products[${index}]`] = { id: `financer-${code}`, label: `Subvention demandée (${code})` };
  });
  rows.others.forEach((_row, index) => {
    const at = othersFirst + index;
    fields[`budget.products[${at}].account`] = {
      id: `productAccount-${index}`,
      label: `Compte du produit ${index + 1}`,
    };
    fields[`budget.products[${at}].label`] = {
      id: `productLabel-${index}`,
      label: `Libellé du produit ${index + 1}`,
    };
    fields[`budget.products[${at}].funder`] = {
      id: `productLabel-${index}`,
      label: `Financeur du produit ${index + 1}`,
    };
    fields[`budget.products[${at}].amountCents`] = {
      id: `productAmount-${index}`,
      label: `Montant du produit ${index + 1}`,
    };
  });
  fields.version = { id: 'budget', label: 'Dossier' };
  return fields;
}

/**
 * A multipart form is read only after multer parsed it: its CSRF token is checked then, before anything is
 * stored (the guard has already checked its Origin).
 */
@Injectable()
export class CsrfAfterUpload implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<PageRequest>();
    if (csrfRefusal(request, this.config.publicUrl))
      throw new ApplicationError(
        'FORBIDDEN',
        'FORBIDDEN',
        'Ce formulaire a expiré : rechargez la page et recommencez.',
      );
    return next.handle();
  }
}

/**
 * The association's pages (web.md): « Mes dossiers », a new dossier, its task list and one page per section,
 * the budget as the CERFA grid, the attachments, « Vérifier vos réponses » and the submission, then the
 * dossier's page. Every read and write goes through the API's services and their access policy.
 */
@Roles('ASSOCIATION')
@Pages('dossiers')
export class DossierPagesController {
  constructor(
    private readonly view: DossierViewService,
    private readonly applications: ApplicationsService,
    private readonly drafts: DraftsService,
    private readonly lifecycle: ApplicationLifecycleService,
    private readonly attachments: AttachmentsService,
    private readonly campaigns: CampaignsService,
    private readonly conventions: ConventionsService,
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
    // The convention's link once it is ready (it is made when the programming closes).
    const convention =
      dossier.status === 'PROGRAMMED'
        ? await this.conventions.status(request.user!, id).catch(() => undefined)
        : undefined;
    sendPage(request, response, 'dossiers/dossier.njk', {
      dossier,
      conventionReady: convention?.status === 'READY',
      returned: [...dossier.history].reverse().find((step) => step.toStatus === 'RETURNED'),
    });
  }

  /** Loads a dossier still editable, for a section's page (a submitted one goes back to its page). */
  private async editable(
    request: PageRequest,
    response: Response,
    id: string,
  ): Promise<ApplicationDto | undefined> {
    const dossier = await this.view.dossier(request.user!, id);
    if (EDITABLE_STATUSES.includes(dossier.status)) return dossier;
    redirectWithFlash(
      request,
      response,
      `/dossiers/${id}`,
      'Ce dossier est déposé : il ne peut plus être modifié.',
    );
    return undefined;
  }

  @Get(':id/porteur')
  async holder(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (dossier) sendPage(request, response, 'dossiers/holder.njk', { dossier });
  }

  @Get(':id/projet')
  async project(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    await this.sendProject(request, response, dossier, {
      ...dossier,
      indicators: dossier.indicators.map((indicator) => ({
        ...indicator,
        targetValue: String(indicator.targetValue),
      })),
    });
  }

  private async sendProject(
    request: PageRequest,
    response: Response,
    dossier: ApplicationDto,
    values: object,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const measures = await this.view.measuresOf(request.user!, dossier.themeCode);
    sendPage(
      request,
      response,
      'dossiers/project.njk',
      { dossier, values, measures, errors, checks: checksOf('projet', dossier.checks) },
      status,
    );
  }

  @Post(':id/projet')
  async saveProject(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    const parsed = parseProject(form);
    const measures = await this.view.measuresOf(request.user!, dossier.themeCode);
    const measure = measures.find((candidate) => candidate.value === parsed.edit.measureId);
    if (parsed.edit.measureId && !measure)
      parsed.errors.push({ id: 'measureId', message: 'Choisissez une mesure de la liste.' });
    parsed.edit.stakeId = measure?.stakeId;
    const values = {
      ...parsed.edit,
      indicators: many(form, 'indicatorLabel').map((label, index) => ({
        label,
        unit: many(form, 'indicatorUnit')[index] ?? '',
        targetValue: many(form, 'indicatorTarget')[index] ?? '',
      })),
    };
    const refused = await this.save(request, response, dossier, form, parsed, PROJECT_FIELDS, 'publics');
    if (refused) await this.sendProject(request, response, dossier, values, refused, 422);
  }

  /**
   * Saves a section's edit with the version the form was read at. Returns the errors to show with the form
   * again (nothing saved), or undefined once it answered: the next section, or the autosave's JSON.
   */
  private async save(
    request: PageRequest,
    response: Response,
    dossier: ApplicationDto,
    form: Form,
    parsed: Parsed,
    fields: FormFields,
    next: SectionKey | 'verifier',
    after?: (saved: ApplicationDto) => FieldError[],
  ): Promise<FieldError[] | undefined> {
    const autosave = one(form, 'autosave') === '1';
    const version = Number(one(form, 'version')) || dossier.version;
    const { value, errors } = await validateForm(UpdateApplicationDto, { ...parsed.edit, version }, fields);
    errors.unshift(...parsed.errors);
    if (errors.length === 0) {
      try {
        const saved = await this.drafts.update(request.user!, dossier.id, value);
        const problems = after ? after(saved) : [];
        if (autosave) {
          response.json({ saved: true, version: saved.version });
          return undefined;
        }
        if (problems.length > 0) {
          // Saved (nothing is lost), but not finished: the page says what to fix before going on.
          return problems.map((problem) => ({ ...problem, saved: saved.version }));
        }
        redirectWithFlash(request, response, `/dossiers/${dossier.id}/${next}`);
        return undefined;
      } catch (error) {
        errors.push(...refusalOf(error, fields));
      }
    }
    if (autosave) {
      response.status(422).json({ saved: false, errors });
      return undefined;
    }
    return errors;
  }

  @Get(':id/publics')
  async publics(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    const b = dossier.beneficiaries;
    const values: Record<string, unknown> = {
      qpvCodes: dossier.qpvCodes,
      total: b?.total,
      qpvResidents: b?.qpvResidents,
      women: b?.women,
      men: b?.men,
      ...Object.fromEntries(AGE_FIELDS.map(([band, name]) => [name, b?.byAge?.[band]])),
    };
    sendPage(request, response, 'dossiers/publics.njk', {
      dossier,
      values,
      qpvs: await this.view.qpvs(request.user!),
      ageFields: AGE_FIELDS,
      checks: checksOf('publics', dossier.checks),
    });
  }

  @Post(':id/publics')
  async savePublics(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    const refused = await this.save(
      request,
      response,
      dossier,
      form,
      parsePublics(form),
      PUBLICS_FIELDS,
      'budget',
    );
    if (!refused) return;
    const values = { ...form, qpvCodes: many(form, 'qpvCodes') };
    sendPage(
      request,
      response,
      'dossiers/publics.njk',
      {
        dossier,
        values,
        qpvs: await this.view.qpvs(request.user!),
        ageFields: AGE_FIELDS,
        errors: refused,
        checks: [],
      },
      422,
    );
  }

  private async sendBudget(
    request: PageRequest,
    response: Response,
    dossier: ApplicationDto,
    rows: BudgetRows,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const financers = await this.view.financers(request.user!);
    sendPage(
      request,
      response,
      'dossiers/budget.njk',
      {
        dossier,
        ...gridView(rows, financers),
        errors,
        checks: status === 200 ? checksOf('budget', dossier.checks) : [],
      },
      status,
    );
  }

  @Get(':id/budget')
  async budget(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (dossier) await this.sendBudget(request, response, dossier, rowsOfBudget(dossier));
  }

  /**
   * Saves the grid. « Ajouter une ligne » and « Supprimer » work without JavaScript: the grid comes back
   * with the row added or removed, what was typed kept. A budget that does not balance is saved (nothing is
   * lost) but the page stays, with the error summary, until it balances.
   */
  @Post(':id/budget')
  async saveBudget(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    const financers = await this.view.financers(request.user!);
    const rows = budgetRows(
      form,
      financers.map((financer) => financer.code),
    );
    const edited = gridEdit(rows, one(form, 'action'));
    if (edited) return this.sendBudget(request, response, dossier, edited);
    const kept = withoutBlankRows(rows);
    const names = Object.fromEntries(financers.map((financer) => [financer.code, financer.name]));
    const parsed = parseBudget(kept, names);
    const asked = Object.values(kept.financers).filter((typed) => typed.trim() !== '').length;
    const fields = budgetFields(
      kept,
      asked,
      Object.keys(kept.financers).filter((code) => kept.financers[code].trim() !== ''),
    );
    const refused = await this.save(request, response, dossier, form, parsed, fields, 'pieces', (saved) =>
      saved.totalChargesCents !== saved.totalProductsCents
        ? toFieldErrors(
            saved.checks
              .filter((check) => check.rule === 'BUDGET_BALANCED' && check.status === 'FAIL')
              .map((check) => ({
                code: check.code ?? 'BUDGET_UNBALANCED',
                message: check.message,
                field: 'budget',
              })),
            fields,
          )
        : [],
    );
    if (!refused) return;
    const saved = refused.some((error) => 'saved' in error);
    const current = saved ? await this.view.dossier(request.user!, id) : dossier;
    await this.sendBudget(request, response, current, kept, refused, 422);
  }

  @Get(':id/priorites')
  async priorities(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    const p = dossier.priorities;
    const values = {
      genderMarker: p ? String(p.genderEquality.marker) : '',
      genderMeasures: p?.genderEquality.measures,
      womenShareJustification: p?.genderEquality.womenShareJustification,
      youthMeasures: p?.youth.measures,
      antiDiscriminationMeasures: p?.antiDiscrimination.measures,
    };
    sendPage(request, response, 'dossiers/priorities.njk', {
      dossier,
      values,
      checks: checksOf('priorites', dossier.checks),
    });
  }

  @Post(':id/priorites')
  async savePriorities(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    const refused = await this.save(
      request,
      response,
      dossier,
      form,
      parsePriorities(form),
      PRIORITY_FIELDS,
      'verifier',
    );
    if (refused)
      sendPage(
        request,
        response,
        'dossiers/priorities.njk',
        { dossier, values: form, errors: refused, checks: [] },
        422,
      );
  }

  @Get(':id/pieces')
  async attachmentsPage(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (dossier) this.sendAttachments(request, response, dossier);
  }

  private sendAttachments(
    request: PageRequest,
    response: Response,
    dossier: ApplicationDto,
    errors: FieldError[] = [],
    status = 200,
    kind = '',
  ) {
    sendPage(
      request,
      response,
      'dossiers/attachments.njk',
      {
        dossier,
        kinds: Object.entries(KIND_LABELS).map(([value, text]) => ({ value, text })),
        kindLabels: KIND_LABELS,
        maxMegabytes: Math.round(MAX_ATTACHMENT_BYTES / 1_000_000),
        checks: checksOf('pieces', dossier.checks),
        values: { kind },
        errors,
      },
      status,
    );
  }

  /** Uploads a document (multipart: its CSRF token is checked once multer has read the form). */
  @Post(':id/pieces')
  @SetMetadata(CSRF_AFTER_UPLOAD, true)
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5 },
      defParamCharset: 'utf8',
    }),
    CsrfAfterUpload,
  )
  async upload(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Body() form: Form,
    @UploadedFile() file: File | undefined,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    const kind = one(form, 'kind');
    const errors: FieldError[] = [];
    if (!kind) errors.push({ id: 'kind', message: 'Choisissez le type de document.' });
    if (!file || file.size === 0) errors.push({ id: 'file', message: 'Choisissez le fichier à joindre.' });
    if (errors.length === 0) {
      try {
        const stored = await this.attachments.upload(request.user!, id, kind, file);
        // A document of a kind that is one file (the statutes, the RIB...) replaces the one joined before.
        const replaced =
          kind === 'OTHER' ? [] : dossier.attachments.filter((attachment) => attachment.kind === kind);
        for (const previous of replaced) await this.attachments.remove(request.user!, id, previous.id);
        return redirectWithFlash(
          request,
          response,
          `/dossiers/${id}/pieces`,
          replaced.length
            ? `« ${stored.filename} » remplace « ${replaced.map((previous) => previous.filename).join(' », « ')} ».`
            : `« ${stored.filename} » est joint au dossier.`,
        );
      } catch (error) {
        errors.push(
          ...refusalOf(error, {
            file: { id: 'file', label: 'Fichier' },
            kind: { id: 'kind', label: 'Type de document' },
          }),
        );
      }
    }
    this.sendAttachments(request, response, dossier, errors, 422, kind);
  }

  @Post(':id/pieces/:attachmentId/supprimer')
  async removeAttachment(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
    if (!dossier) return;
    const attachment = dossier.attachments.find((candidate) => candidate.id === attachmentId);
    await this.attachments.remove(request.user!, id, attachmentId);
    redirectWithFlash(
      request,
      response,
      `/dossiers/${id}/pieces`,
      `« ${attachment?.filename ?? 'Le document'} » est retiré du dossier.`,
    );
  }

  /** Opens one of the dossier's documents (as the API: never inline). */
  @Get(':id/pieces/:attachmentId')
  async download(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
    @Param('attachmentId', UuidParam) attachmentId: string,
  ): Promise<void> {
    const file = await this.attachments.download(request.user!, id, attachmentId);
    response.setHeader('content-type', file.contentType);
    response.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    response.send(file.content);
  }

  @Get(':id/verifier')
  async verify(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await this.editable(request, response, id);
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
    const dossier = await this.editable(request, response, id);
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
