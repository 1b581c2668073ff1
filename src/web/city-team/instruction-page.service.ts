import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { ApplicationError } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { ApplicationsService } from '../../modules/applications/applications.service.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { AuditQueryDto } from '../../modules/audit/dto/audit-event.dto.js';
import { CampaignsService } from '../../modules/campaigns/campaigns.service.js';
import { ConventionsService } from '../../modules/conventions/conventions.service.js';
import { PaymentsService } from '../../modules/payments/payments.service.js';
import { ReportsService } from '../../modules/reports/reports.service.js';
import { ReviewsService } from '../../modules/reviews/reviews.service.js';
import { DossierViewService, KIND_LABELS } from '../dossier-view.service.js';
import { refusalOf, type FormFields } from '../form-validation.js';
import { redirectWithFlash, sendPage, type FieldError, type PageRequest } from '../pages.js';
import { OPINION_LABELS, PAYMENT_KIND_LABELS, auditLines } from './labels.js';

/** What a form of the instruction page sends back with the page when it is refused. */
export interface Refused {
  values?: Record<string, string>;
  errors?: FieldError[];
  status?: number;
}

/**
 * The city team's instruction page of one application (the whole dossier, its reviews, history and audit
 * trail, and after the COPIL its convention, payments and report), and the way each of its forms ends: back
 * to the page with a message, or the page again with the refusal beside the field.
 */
@Injectable()
export class InstructionPageService {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly campaigns: CampaignsService,
    private readonly reviews: ReviewsService,
    private readonly audit: AuditService,
    private readonly view: DossierViewService,
    private readonly payments: PaymentsService,
    private readonly conventions: ConventionsService,
    private readonly reports: ReportsService,
  ) {}

  async send(request: PageRequest, response: Response, id: string, refused: Refused = {}): Promise<void> {
    const loaded = await this.load(request.user!, id);
    sendPage(
      request,
      response,
      'city-team/application.njk',
      { ...loaded, values: refused.values ?? {}, errors: refused.errors ?? [] },
      refused.status ?? 200,
    );
  }

  /**
   * Runs a form's action: done, back to the page (at `anchor`) with the message it returns; refused by the
   * service, the page again with the refusal on the form's fields and what was typed.
   */
  async act(
    request: PageRequest,
    response: Response,
    id: string,
    form: { fields: FormFields; values?: Record<string, string>; anchor?: string; refusedStatus?: number },
    action: () => Promise<string>,
  ): Promise<void> {
    let message: string;
    try {
      message = await action();
    } catch (error) {
      const errors = refusalOf(error, form.fields);
      return this.send(request, response, id, {
        values: form.values,
        errors,
        status: form.refusedStatus ?? 409,
      });
    }
    redirectWithFlash(request, response, `/pilotage/dossiers/${id}${form.anchor ?? ''}`, message);
  }

  private async load(user: AuthUser, id: string) {
    const dossier = await this.applications.get(user, id);
    const [campaign, reviews, audit, financers, qpvs, themes] = await Promise.all([
      this.campaigns.get(user, dossier.campaignId),
      this.reviews.list(user, id),
      this.audit.list(
        user,
        Object.assign(new AuditQueryDto(), {
          tableName: 'grant_applications',
          rowId: id,
          limit: 50,
          offset: 0,
        }),
      ),
      this.view.partners(user),
      this.view.qpvs(user),
      this.view.themes(user),
    ]);
    return {
      dossier,
      campaign,
      followUp: dossier.status === 'PROGRAMMED' ? await this.followUp(user, id) : undefined,
      reviews: reviews.items,
      audit: auditLines(audit.items),
      auditTotal: audit.total,
      financerNames: Object.fromEntries(financers.map((financer) => [financer.code, financer.name])),
      qpvNames: dossier.qpvCodes.map((code) => qpvs.find((qpv) => qpv.code === code)?.name ?? code),
      themeLabel: themes.find((theme) => theme.code === dossier.themeCode)?.label ?? dossier.themeCode,
      kindLabels: KIND_LABELS,
      opinionLabels: OPINION_LABELS,
      section: 'applications',
    };
  }

  /** After the COPIL: the convention and its signatures, the payments, the report (each absent until it exists). */
  private async followUp(user: AuthUser, id: string) {
    const absent = (error: unknown) => {
      if (error instanceof ApplicationError && error.status === 404) return undefined;
      throw error;
    };
    const [convention, signatures, payments, report] = await Promise.all([
      this.conventions.status(user, id).catch(absent),
      this.payments.signatures(user, id).catch(absent),
      this.payments.list(user, id),
      this.reports.get(user, id).catch(absent),
    ]);
    return { convention, signatures, payments: payments.items, report, kindLabels: PAYMENT_KIND_LABELS };
  }
}
