import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../common/auth.js';
import { UuidParam } from '../common/uuid-param.js';
import { DraftsService } from '../modules/applications/drafts.service.js';
import { UpdateApplicationDto, type ApplicationDto } from '../modules/applications/dto/application.dto.js';
import { editableDossier } from './editable-dossier.js';
import { DossierViewService } from './dossier-view.service.js';
import {
  AGE_FIELDS,
  gridView,
  many,
  one,
  parsePriorities,
  parseProject,
  parsePublics,
  rowsOfBudget,
  type BudgetRows,
  type Form,
  type Parsed,
  readGrid,
} from './dossier-forms.js';
import { refusalOf, toFieldErrors, validateForm, type FormFields } from './form-validation.js';
import { Pages, redirectWithFlash, sendPage, type FieldError, type PageRequest } from './pages.js';
import { checksOf, type SectionKey } from './task-list.js';

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
 * One page per section of a dossier being written (web.md's task list): the holder, the project, publics and
 * QPV, the budget as the CERFA grid, the transversal priorities; « Enregistrer et continuer » saves through
 * the API's service with the version read, the script autosaves the same way.
 */
@Roles('ASSOCIATION')
@Pages('dossiers')
export class SectionPagesController {
  constructor(
    private readonly view: DossierViewService,
    private readonly drafts: DraftsService,
  ) {}

  @Get(':id/porteur')
  async holder(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await editableDossier(this.view, request, response, id);
    if (dossier) sendPage(request, response, 'dossiers/holder.njk', { dossier });
  }

  @Get(':id/projet')
  async project(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const dossier = await editableDossier(this.view, request, response, id);
    if (!dossier) return;
    const measures = await this.view.measuresOf(request.user!, dossier.themeCode);
    this.sendProject(request, response, dossier, measures, {
      ...dossier,
      indicators: dossier.indicators.map((indicator) => ({
        ...indicator,
        targetValue: String(indicator.targetValue),
      })),
    });
  }

  /** The project's page, with the theme's measures read once per request. */
  private sendProject(
    request: PageRequest,
    response: Response,
    dossier: ApplicationDto,
    measures: { value: string; text: string }[],
    values: object,
    errors: FieldError[] = [],
    status = 200,
  ) {
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
    const dossier = await editableDossier(this.view, request, response, id);
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
    if (refused) this.sendProject(request, response, dossier, measures, values, refused, 422);
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
    const dossier = await editableDossier(this.view, request, response, id);
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
    const dossier = await editableDossier(this.view, request, response, id);
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
    const dossier = await editableDossier(this.view, request, response, id);
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
    const dossier = await editableDossier(this.view, request, response, id);
    if (!dossier) return;
    const financers = await this.view.financers(request.user!);
    const grid = readGrid(form, financers);
    if (grid.edited) return this.sendBudget(request, response, dossier, grid.edited);
    const { kept, parsed } = grid;
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
    const dossier = await editableDossier(this.view, request, response, id);
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
    const dossier = await editableDossier(this.view, request, response, id);
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
}
