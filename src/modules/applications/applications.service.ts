import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ApplicationError, conflict, notFound, unprocessable } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import { sumCents } from '../../common/money.js';
import { frenchDateTime } from '../../common/french.js';
import type { Page } from '../../common/pagination.dto.js';
import { assertTransition } from '../../common/state-machine.js';
import { assertNothingBlocks, runChecks, type CheckResult } from '../checks/checks.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { DEFAULT_CAMPAIGN_RULES, type CampaignRules } from '../campaigns/campaign-rules.js';
import { OrganizationEntity } from '../accounts/organization.entity.js';
import { ThemeEntity } from '../referential/theme.entity.js';
import { StakeEntity } from '../referential/stake.entity.js';
import { MeasureEntity } from '../referential/measure.entity.js';
import { QpvEntity } from '../referential/qpv.entity.js';
import { PartnerEntity } from '../referential/partner.entity.js';
import { AttachmentEntity, LASTING_KINDS } from '../attachments/attachment.entity.js';
import { ConflictDeclarationEntity } from '../reviews/conflict-declaration.entity.js';
import { loadDecisions } from '../programming/granted.js';
import { addToOutbox, type NotificationType } from '../notifications/outbox.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { GrantApplicationEntity } from './application.entity.js';
import { ApplicationQpvEntity } from './application-qpv.entity.js';
import { ApplicationRequestEntity } from './application-request.entity.js';
import { ApplicationTransitionEntity } from './application-transition.entity.js';
import {
  APPLICATION_TRANSITIONS,
  ApplicationStatus,
  EDITABLE_STATUSES,
  formatReference,
} from './application-status.js';
import { assertBudgetShape, SUBSIDY_ACCOUNT } from './budget.js';
import type {
  ApplicationDto,
  ApplicationQueryDto,
  ApplicationSummaryDto,
  CreateApplicationDto,
  EligibilityDto,
  SubmitApplicationDto,
  UpdateApplicationDto,
} from './dto/application.dto.js';

type Fields = Omit<UpdateApplicationDto, 'renewalOf'> & { renewalOf?: string | null };

interface Resolved {
  themeId: string;
  themeCode: string;
  qpvCodes: string[] | undefined;
  partnerIds: Map<string, string>;
}

const STATUS_CONFLICT = 'APPLICATION_STATUS_CONFLICT';

/**
 * Unique placeholder written with the row. The database numbers the application when the transaction commits
 * (deferred trigger `grant_applications_reference`, migration NumberApplicationsAtCommit): YEAR-THEME-NNNN,
 * consecutive per contract and year, with the counter row locked only during the commit.
 */
const provisionalReference = (id: string) => ({
  reference: `~${id.replaceAll('-', '').slice(0, 29)}`,
  referenceNumber: 0,
});

/** Shifts a YYYY-MM-DD date by whole years (29 February becomes 28 February). */
export function shiftYears(date: string | null, years: number): string | null {
  if (!date) return null;
  const [year, month, day] = date.split('-').map(Number);
  const target = year + years;
  const lastDay = new Date(Date.UTC(target, month, 0)).getUTCDate();
  return `${target}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

@Injectable()
export class ApplicationsService {
  private readonly logger = new Logger(ApplicationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
    private readonly notifications: NotificationsService,
  ) {}

  // ---------------------------------------------------------------- access

  /** Whether the user may read this application; 404 is answered otherwise, never 403. */
  async canRead(em: EntityManager, user: AuthUser, app: GrantApplicationEntity): Promise<boolean> {
    if (user.role === 'ASSOCIATION') return app.organizationId === user.organizationId;
    if (user.role === 'CITY_TEAM') return app.contractId === user.contractId;
    if (app.contractId !== user.contractId || !app.submittedAt || !user.partnerId) return false;
    return em
      .getRepository(ApplicationRequestEntity)
      .exists({ where: { applicationId: app.id, partnerId: user.partnerId } });
  }

  /** The application, for a reader who may see it and has declared no conflict of interest with it. */
  async findReadable(
    user: AuthUser,
    id: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<GrantApplicationEntity> {
    const app = await em.getRepository(GrantApplicationEntity).findOne({ where: { id } });
    if (!app || !(await this.canRead(em, user, app))) throw notFound('Dossier');
    const conflicted =
      user.role === 'FINANCER' &&
      (await em
        .getRepository(ConflictDeclarationEntity)
        .exists({ where: { applicationId: id, userId: user.id } }));
    if (conflicted) {
      throw new ApplicationError(
        'FORBIDDEN',
        'CONFLICT_OF_INTEREST',
        'Vous avez déclaré un conflit d’intérêts sur ce dossier.',
      );
    }
    return app;
  }

  /** Locks the row for a status change; the caller's role decides which applications it may lock. */
  private async lock(
    em: EntityManager,
    user: AuthUser,
    id: string,
    as: 'OWNER' | 'CITY_TEAM',
  ): Promise<GrantApplicationEntity> {
    const app = await em
      .getRepository(GrantApplicationEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    const allowed =
      app &&
      (as === 'OWNER'
        ? user.role === 'ASSOCIATION' && app.organizationId === user.organizationId
        : user.role === 'CITY_TEAM' && app.contractId === user.contractId);
    if (!app || !allowed) throw notFound('Dossier');
    return app;
  }

  /** Moves an application along its lifecycle table and records the step (the row must be locked). */
  async move(
    em: EntityManager,
    app: GrantApplicationEntity,
    to: ApplicationStatus,
    actor: AuthUser,
    message?: string,
  ) {
    assertTransition(APPLICATION_TRANSITIONS, app.status, to, `Dossier ${app.reference}`, STATUS_CONFLICT);
    const from = app.status;
    app.status = to;
    app.version += 1;
    await em.update(GrantApplicationEntity, { id: app.id }, { status: to, version: app.version });
    await em.insert(ApplicationTransitionEntity, {
      applicationId: app.id,
      fromStatus: from,
      toStatus: to,
      actorId: actor.id,
      message: message ?? null,
    });
    this.logger.log(`Application ${app.id}: ${from} → ${to} by ${actor.id}`);
  }

  // ---------------------------------------------------------------- writing drafts

  private async resolve(
    em: EntityManager,
    contractId: string,
    fields: Fields,
    current?: GrantApplicationEntity,
  ): Promise<Resolved> {
    const themeCode = fields.themeCode;
    const theme = themeCode
      ? await em.getRepository(ThemeEntity).findOne({ where: { contractId, code: themeCode } })
      : await em.getRepository(ThemeEntity).findOne({ where: { id: current!.themeId } });
    if (!theme) throw unprocessable('UNKNOWN_THEME', `Thématique inconnue : ${themeCode}.`, 'themeCode');

    const stakeId = fields.stakeId !== undefined ? fields.stakeId : current?.stakeId;
    if (
      stakeId &&
      !(await em.getRepository(StakeEntity).exists({ where: { id: stakeId, themeId: theme.id } }))
    ) {
      throw unprocessable(
        'STAKE_NOT_IN_THEME',
        `Cet enjeu n’appartient pas à la thématique ${theme.label}.`,
        'stakeId',
      );
    }
    const measureId = fields.measureId !== undefined ? fields.measureId : current?.measureId;
    if (
      measureId &&
      (!stakeId || !(await em.getRepository(MeasureEntity).exists({ where: { id: measureId, stakeId } })))
    ) {
      throw unprocessable(
        'MEASURE_NOT_IN_STAKE',
        'Cette mesure n’appartient pas à l’enjeu choisi.',
        'measureId',
      );
    }
    if (fields.qpvCodes?.length) {
      const qpvs = await em
        .getRepository(QpvEntity)
        .find({ where: { contractId, code: In(fields.qpvCodes) } });
      const unknown = fields.qpvCodes.filter((code) => !qpvs.some((qpv) => qpv.code === code));
      if (unknown.length)
        throw unprocessable(
          'UNKNOWN_QPV',
          `Quartier(s) hors du contrat de ville : ${unknown.join(', ')}.`,
          'qpvCodes',
        );
    }
    const partnerIds = new Map<string, string>();
    if (fields.budget) {
      assertBudgetShape(fields.budget.products);
      const codes = fields.budget.products.flatMap((line) => (line.partnerCode ? [line.partnerCode] : []));
      const partners = codes.length
        ? await em.getRepository(PartnerEntity).find({ where: { contractId, code: In(codes) } })
        : [];
      for (const partner of partners) partnerIds.set(partner.code, partner.id);
      const unknown = codes.filter((code) => !partnerIds.has(code));
      if (unknown.length)
        throw unprocessable(
          'UNKNOWN_PARTNER',
          `Financeur(s) inconnu(s) : ${unknown.join(', ')}.`,
          'budget.products',
        );
    }
    const startDate = fields.startDate ?? current?.startDate;
    const endDate = fields.endDate ?? current?.endDate;
    if (startDate && endDate && startDate > endDate) {
      throw unprocessable(
        'DATES_OUT_OF_ORDER',
        'La date de fin de l’action précède sa date de début.',
        'endDate',
      );
    }
    return { themeId: theme.id, themeCode: theme.code, qpvCodes: fields.qpvCodes, partnerIds };
  }

  /** Copies the given fields on the entity, with the totals derived from the budget. */
  private apply(app: GrantApplicationEntity, fields: Fields, resolved: Resolved): void {
    const { themeCode: _themeCode, qpvCodes: _qpvCodes, renewalOf, ...plain } = fields;
    Object.assign(app, plain);
    if (renewalOf !== undefined) app.renewalOfId = renewalOf;
    app.themeId = resolved.themeId;
    if (fields.budget) {
      app.totalChargesCents = sumCents(fields.budget.charges.map((line) => line.amountCents));
      app.totalProductsCents = sumCents(fields.budget.products.map((line) => line.amountCents));
      app.requestedCents = sumCents(
        fields.budget.products
          .filter((line) => line.account === SUBSIDY_ACCOUNT)
          .map((line) => line.amountCents),
      );
    }
    if (fields.priorities) app.genderMarker = fields.priorities.genderEquality.marker;
  }

  /** Writes the QPV and request rows; `created` skips deleting rows a new application cannot have. */
  private async writeDerived(
    em: EntityManager,
    app: GrantApplicationEntity,
    fields: Fields,
    resolved: Resolved,
    created = false,
  ): Promise<void> {
    if (resolved.qpvCodes) {
      if (!created) await em.delete(ApplicationQpvEntity, { applicationId: app.id });
      if (resolved.qpvCodes.length) {
        await em.insert(
          ApplicationQpvEntity,
          resolved.qpvCodes.map((qpvCode) => ({ applicationId: app.id, qpvCode })),
        );
      }
    }
    if (fields.budget) {
      if (!created) await em.delete(ApplicationRequestEntity, { applicationId: app.id });
      const requests = fields.budget.products
        .filter((line) => line.account === SUBSIDY_ACCOUNT && line.partnerCode)
        .map((line) => ({
          applicationId: app.id,
          partnerId: resolved.partnerIds.get(line.partnerCode!)!,
          requestedCents: line.amountCents,
          campaignId: app.campaignId,
        }));
      if (requests.length) await em.insert(ApplicationRequestEntity, requests);
    }
  }

  private async assertOwnRenewalSource(
    em: EntityManager,
    user: AuthUser,
    renewalOf: string | null | undefined,
  ): Promise<void> {
    if (!renewalOf) return;
    const source = await em
      .getRepository(GrantApplicationEntity)
      .findOne({ where: { id: renewalOf }, select: { id: true, organizationId: true } });
    if (!source || source.organizationId !== user.organizationId) throw notFound('Dossier renouvelé');
  }

  private assertCampaignAccepts(campaign: CampaignEntity): void {
    if (campaign.status !== 'OPEN' || Date.now() > campaign.submissionDeadline.getTime()) {
      throw conflict('CAMPAIGN_NOT_OPEN', 'Cet appel à projets n’est pas ouvert aux dépôts.', {
        campaignStatus: campaign.status,
      });
    }
  }

  async create(user: AuthUser, campaignId: string, input: CreateApplicationDto): Promise<ApplicationDto> {
    if (!user.organizationId) throw notFound('Structure');
    const id = await this.dataSource.transaction(async (em) => {
      const campaign = await this.campaigns.findVisible(user, campaignId, em);
      this.assertCampaignAccepts(campaign);
      await this.assertOwnRenewalSource(em, user, input.renewalOf);
      const resolved = await this.resolve(em, campaign.contractId, input);
      const id = randomUUID();
      const app = em.create(GrantApplicationEntity, {
        id,
        campaignId,
        contractId: campaign.contractId,
        organizationId: user.organizationId!,
        ...provisionalReference(id),
        status: 'DRAFT',
        version: 1,
        createdBy: user.id,
        renewalOfId: null,
      });
      this.apply(app, input, resolved);
      await em.insert(GrantApplicationEntity, app);
      await this.writeDerived(em, app, input, resolved, true);
      await em.insert(ApplicationTransitionEntity, {
        applicationId: app.id,
        fromStatus: null,
        toStatus: 'DRAFT',
        actorId: user.id,
      });
      return app.id;
    });
    return this.get(user, id);
  }

  async update(user: AuthUser, id: string, input: UpdateApplicationDto): Promise<ApplicationDto> {
    await this.dataSource.transaction(async (em) => {
      const app = await this.lock(em, user, id, 'OWNER');
      if (!EDITABLE_STATUSES.includes(app.status)) {
        throw conflict('APPLICATION_LOCKED', 'Ce dossier a été déposé : il ne peut plus être modifié.', {
          currentStatus: app.status,
        });
      }
      await this.assertOwnRenewalSource(em, user, input.renewalOf);
      const resolved = await this.resolve(em, app.contractId, input, app);
      this.apply(app, input, resolved);
      if (input.themeCode) {
        const year = Number(app.reference.slice(0, 4));
        app.reference = formatReference(year, resolved.themeCode, app.referenceNumber);
      }
      app.version += 1;
      await em.save(app);
      await this.writeDerived(em, app, input, resolved);
    });
    return this.get(user, id);
  }

  // ---------------------------------------------------------------- reading

  async get(user: AuthUser, id: string): Promise<ApplicationDto> {
    const em = this.dataSource.manager;
    const app = await this.findReadable(user, id, em);
    // One query for everything the view joins (it is also the answer to every write, so it is hot).
    const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    const [parts, checks, decisions] = await Promise.all([
      em.query(
        `SELECT json_build_object('organizationId', o.id, 'name', o.name, 'legalForm', o.legal_form,
                  'siret', o.siret, 'rna', o.rna, 'address', o.address,
                  'legalRepresentative', o.legal_representative, 'contactEmail', o.contact_email) AS holder,
                t.code AS theme_code,
                ARRAY(SELECT q.qpv_code FROM application_qpvs q WHERE q.application_id = $1 ORDER BY q.qpv_code) AS qpv_codes,
                coalesce((SELECT json_agg(json_build_object('partnerCode', p.code, 'requestedCents', r.requested_cents))
                            FROM application_requests r JOIN partners p ON p.id = r.partner_id
                           WHERE r.application_id = $1), '[]') AS requests,
                coalesce((SELECT json_agg(json_build_object('id', d.id, 'kind', d.kind, 'filename', d.filename,
                                   'contentType', d.content_type, 'sizeBytes', d.size_bytes, 'sha256', d.sha256,
                                   'createdAt', ${iso('d.created_at')}) ORDER BY d.created_at)
                            FROM attachments d WHERE d.application_id = $1), '[]') AS attachments,
                coalesce((SELECT json_agg(json_build_object('fromStatus', s.from_status, 'toStatus', s.to_status,
                                   'actorId', s.actor_id, 'message', s.message, 'at', ${iso('s.created_at')})
                                   ORDER BY s.created_at)
                            FROM application_transitions s WHERE s.application_id = $1), '[]') AS history
           FROM organizations o, themes t
          WHERE o.id = $2 AND t.id = $3`,
        [id, app.organizationId, app.themeId],
      ) as Promise<
        {
          holder: ApplicationDto['holder'];
          theme_code: string;
          qpv_codes: string[];
          requests: { partnerCode: string; requestedCents: number }[];
          attachments: ApplicationDto['attachments'];
          history: ApplicationDto['history'];
        }[]
      >,
      EDITABLE_STATUSES.includes(app.status) || !app.checks ? this.liveChecks(em, app) : app.checks,
      loadDecisions(em, id),
    ]);
    const [{ holder, theme_code: themeCode, qpv_codes: qpvCodes, requests, attachments, history }] = parts;
    return {
      id: app.id,
      campaignId: app.campaignId,
      reference: app.reference,
      status: app.status,
      version: app.version,
      holder,
      title: app.title,
      summary: app.summary,
      objectives: app.objectives,
      description: app.description,
      themeCode,
      stakeId: app.stakeId,
      measureId: app.measureId,
      qpvCodes,
      location: app.location,
      startDate: app.startDate,
      endDate: app.endDate,
      renewalOf: app.renewalOfId,
      beneficiaries: app.beneficiaries as ApplicationDto['beneficiaries'],
      priorities: app.priorities as ApplicationDto['priorities'],
      budget: app.budget,
      totalChargesCents: app.totalChargesCents,
      totalProductsCents: app.totalProductsCents,
      requests: requests
        .map((request) => ({
          partnerCode: request.partnerCode,
          requestedCents: Number(request.requestedCents),
        }))
        .sort((a, b) => a.partnerCode.localeCompare(b.partnerCode)),
      certification: app.certification as unknown as Record<string, unknown> | null,
      submittedAt: app.submittedAt?.toISOString() ?? null,
      checks,
      attachments,
      decisions,
      copilNote: app.copilNote,
      history,
      createdAt: app.createdAt.toISOString(),
      updatedAt: app.updatedAt.toISOString(),
    };
  }

  async list(user: AuthUser, query: ApplicationQueryDto): Promise<Page<ApplicationSummaryDto>> {
    const builder = this.dataSource
      .getRepository(GrantApplicationEntity)
      .createQueryBuilder('app')
      .innerJoin('app.organization', 'organization')
      .innerJoin('app.theme', 'theme')
      .select([
        'app.id',
        'app.reference',
        'app.status',
        'app.campaignId',
        'app.organizationId',
        'app.title',
        'app.totalChargesCents',
        'app.requestedCents',
        'app.submittedAt',
        'app.updatedAt',
        'organization.name',
        'theme.code',
      ]);
    if (user.role === 'ASSOCIATION') {
      builder.where('app.organization_id = :organizationId', { organizationId: user.organizationId });
    } else if (user.role === 'CITY_TEAM') {
      builder.where('app.contract_id = :contractId', { contractId: user.contractId });
    } else {
      builder
        .where('app.contract_id = :contractId AND app.submitted_at IS NOT NULL', {
          contractId: user.contractId,
        })
        .andWhere(
          'EXISTS (SELECT 1 FROM application_requests own WHERE own.application_id = app.id AND own.partner_id = :ownPartner)',
          {
            ownPartner: user.partnerId,
          },
        );
    }
    if (query.campaignId) builder.andWhere('app.campaign_id = :campaignId', { campaignId: query.campaignId });
    if (query.status) builder.andWhere('app.status = :status', { status: query.status });
    if (query.themeCode) builder.andWhere('theme.code = :themeCode', { themeCode: query.themeCode });
    if (query.qpvCode) {
      builder.andWhere(
        'EXISTS (SELECT 1 FROM application_qpvs q WHERE q.application_id = app.id AND q.qpv_code = :qpvCode)',
        {
          qpvCode: query.qpvCode,
        },
      );
    }
    if (query.partnerCode) {
      builder.andWhere(
        `EXISTS (SELECT 1 FROM application_requests r JOIN partners p ON p.id = r.partner_id
                 WHERE r.application_id = app.id AND p.code = :partnerCode)`,
        { partnerCode: query.partnerCode },
      );
    }
    const [apps, total] = await builder
      .orderBy('app.reference', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    const qpvs = apps.length
      ? await this.dataSource
          .getRepository(ApplicationQpvEntity)
          .find({ where: { applicationId: In(apps.map((app) => app.id)) } })
      : [];
    return {
      total,
      items: apps.map((app) => ({
        id: app.id,
        reference: app.reference,
        status: app.status,
        campaignId: app.campaignId,
        organizationId: app.organizationId,
        holderName: app.organization.name,
        title: app.title,
        themeCode: app.theme.code,
        qpvCodes: qpvs
          .filter((qpv) => qpv.applicationId === app.id)
          .map((qpv) => qpv.qpvCode)
          .sort(),
        totalCostCents: app.totalChargesCents,
        requestedCents: app.requestedCents,
        submittedAt: app.submittedAt?.toISOString() ?? null,
        updatedAt: app.updatedAt.toISOString(),
      })),
    };
  }

  // ---------------------------------------------------------------- checks

  /**
   * The checks as they stand: one query gathers what the rules read besides the application row (campaign year
   * and rules, theme, QPV, documents, the campaign's financers: those with an envelope, else the contract's).
   */
  private async liveChecks(em: EntityManager, app: GrantApplicationEntity): Promise<CheckResult[]> {
    const [facts]: {
      year: number;
      rules: Partial<CampaignRules>;
      theme_code: string;
      qpv_codes: string[];
      attachment_kinds: string[];
      financer_codes: string[];
    }[] = await em.query(
      `SELECT c.year, c.rules, t.code AS theme_code,
              ARRAY(SELECT q.qpv_code FROM application_qpvs q WHERE q.application_id = $1) AS qpv_codes,
              ARRAY(SELECT DISTINCT d.kind FROM attachments d WHERE d.application_id = $1) AS attachment_kinds,
              coalesce(
                nullif(ARRAY(SELECT DISTINCT p.code FROM envelopes e JOIN partners p ON p.id = e.partner_id
                              WHERE e.campaign_id = c.id ORDER BY p.code), '{}'),
                ARRAY(SELECT p.code FROM partners p WHERE p.contract_id = c.contract_id AND p.is_financer
                       ORDER BY p.code)) AS financer_codes
         FROM campaigns c, themes t
        WHERE c.id = $2 AND t.id = $3`,
      [app.id, app.campaignId, app.themeId],
    );
    return runChecks(
      {
        themeCode: facts.theme_code,
        stakeId: app.stakeId,
        title: app.title,
        summary: app.summary,
        objectives: app.objectives,
        description: app.description,
        location: app.location,
        startDate: app.startDate,
        endDate: app.endDate,
        qpvCodes: facts.qpv_codes,
        beneficiaries: app.beneficiaries,
        priorities: app.priorities,
        budget: app.budget,
        campaignFinancerCodes: facts.financer_codes,
        attachmentKinds: facts.attachment_kinds,
        campaignYear: facts.year,
      },
      { ...DEFAULT_CAMPAIGN_RULES, ...facts.rules },
    );
  }

  async checks(user: AuthUser, id: string): Promise<{ items: CheckResult[]; total: number }> {
    const app = await this.findReadable(user, id);
    const items = await this.liveChecks(this.dataSource.manager, app);
    return { items, total: items.length };
  }

  // ---------------------------------------------------------------- lifecycle

  async submit(user: AuthUser, id: string, input: SubmitApplicationDto): Promise<ApplicationDto> {
    const emails = await this.dataSource.transaction(async (em) => {
      const app = await this.lock(em, user, id, 'OWNER');
      if (!EDITABLE_STATUSES.includes(app.status)) {
        throw conflict(STATUS_CONFLICT, `Le dossier ${app.reference} est déjà déposé.`, {
          currentStatus: app.status,
        });
      }
      const campaign = await em.getRepository(CampaignEntity).findOneByOrFail({ id: app.campaignId });
      // A first submission needs the call open; a return asked by the city team may be answered during instruction.
      const open =
        app.status === 'DRAFT'
          ? campaign.status === 'OPEN' && Date.now() <= campaign.submissionDeadline.getTime()
          : campaign.status === 'OPEN' || campaign.status === 'REVIEW';
      if (!open)
        throw conflict('SUBMISSION_CLOSED', 'La date limite de dépôt est passée.', {
          submissionDeadline: campaign.submissionDeadline.toISOString(),
        });

      const certification = input.certification;
      if (
        !certification ||
        certification.certifiesAccuracy !== true ||
        certification.republicanCommitmentSigned !== true
      ) {
        throw unprocessable(
          'CERTIFICATION_REQUIRED',
          'Le représentant légal doit certifier l’exactitude du dossier et la signature du contrat d’engagement républicain.',
          'certification',
        );
      }
      const results = await this.liveChecks(em, app);
      assertNothingBlocks(results, 'CHECKS_FAILED', 'Le dossier');
      const now = new Date();
      await this.move(em, app, 'SUBMITTED', user);
      await em.update(
        GrantApplicationEntity,
        { id },
        {
          submittedAt: now,
          checks: results,
          certification: {
            signatoryName: certification.signatoryName,
            signatoryRole: certification.signatoryRole,
            certifiesAccuracy: true,
            republicanCommitmentSigned: true,
            certifiedAt: now.toISOString(),
            certifiedBy: user.id,
          },
        },
      );
      // The acknowledgement of receipt, written with the submission; sent after commit, or by the sweep.
      return this.emailHolder(em, app, 'APPLICATION_SUBMITTED', 'submitted', {
        campaignTitle: campaign.title,
        submittedAt: frenchDateTime(now),
        signatoryName: certification.signatoryName,
        signatoryRole: certification.signatoryRole,
      });
    });
    await this.notifications.dispatch(emails);
    return this.get(user, id);
  }

  /**
   * Writes an email to the holder's contact address into the outbox, in the event's transaction: it is sent
   * after commit, or by the sweep if Redis is away; the dedupe key (event, application, version) makes it once.
   */
  private async emailHolder(
    em: EntityManager,
    app: GrantApplicationEntity,
    type: NotificationType,
    event: string,
    payload: Record<string, string>,
  ): Promise<string[]> {
    const organization = await em
      .getRepository(OrganizationEntity)
      .findOneByOrFail({ id: app.organizationId });
    return addToOutbox(em, [
      {
        type,
        to: organization.contactEmail,
        payload: { reference: app.reference, title: app.title, holderName: organization.name, ...payload },
        dedupeKey: `${event}:${app.id}:${app.version}`,
        contractId: app.contractId,
        applicationId: app.id,
      },
    ]);
  }

  async returnToHolder(user: AuthUser, id: string, message: string): Promise<ApplicationDto> {
    const emails = await this.dataSource.transaction(async (em) => {
      const app = await this.lock(em, user, id, 'CITY_TEAM');
      await this.move(em, app, 'RETURNED', user, message);
      return this.emailHolder(em, app, 'APPLICATION_RETURNED', 'returned', { message });
    });
    await this.notifications.dispatch(emails);
    return this.get(user, id);
  }

  async decideEligibility(user: AuthUser, id: string, input: EligibilityDto): Promise<ApplicationDto> {
    if (!input.eligible && !input.reason?.trim()) {
      throw unprocessable(
        'REASON_REQUIRED',
        'Motivez la décision d’inéligibilité : le porteur la lira.',
        'reason',
      );
    }
    await this.dataSource.transaction(async (em) => {
      const app = await this.lock(em, user, id, 'CITY_TEAM');
      await this.move(
        em,
        app,
        input.eligible ? 'ELIGIBLE' : 'INELIGIBLE',
        user,
        input.reason?.trim() || undefined,
      );
    });
    return this.get(user, id);
  }

  async withdraw(user: AuthUser, id: string): Promise<ApplicationDto> {
    await this.dataSource.transaction(async (em) => {
      const app = await this.lock(em, user, id, 'OWNER');
      await this.move(em, app, 'WITHDRAWN', user);
    });
    return this.get(user, id);
  }

  /**
   * A new draft in an open campaign from one of the organisation's earlier applications: action, public,
   * priorities and budget lines copied, dates moved by the years between the campaigns (to be reviewed),
   * and the documents that stay valid (statutes, bank details) carried over.
   */
  async renew(user: AuthUser, id: string, campaignId: string): Promise<ApplicationDto> {
    const newId = await this.dataSource.transaction(async (em) => {
      const source = await em.getRepository(GrantApplicationEntity).findOne({ where: { id } });
      if (!source || user.role !== 'ASSOCIATION' || source.organizationId !== user.organizationId)
        throw notFound('Dossier');
      const target = await this.campaigns.findVisible(user, campaignId, em);
      this.assertCampaignAccepts(target);
      if (target.contractId !== source.contractId) {
        throw unprocessable(
          'CONTRACT_MISMATCH',
          'Un dossier se renouvelle dans un appel à projets du même contrat de ville.',
          'campaignId',
        );
      }
      const already = await em
        .getRepository(GrantApplicationEntity)
        .createQueryBuilder('app')
        .where("app.renewal_of_id = :id AND app.campaign_id = :campaignId AND app.status <> 'WITHDRAWN'", {
          id,
          campaignId,
        })
        .getExists();
      if (already)
        throw conflict('ALREADY_RENEWED', 'Ce dossier est déjà renouvelé dans cet appel à projets.');

      const sourceCampaign = await em
        .getRepository(CampaignEntity)
        .findOneByOrFail({ id: source.campaignId });
      const years = target.year - sourceCampaign.year;
      const qpvs = await em.getRepository(ApplicationQpvEntity).find({ where: { applicationId: id } });
      const requests = await em
        .getRepository(ApplicationRequestEntity)
        .find({ where: { applicationId: id } });
      const copyId = randomUUID();
      const copy = em.create(GrantApplicationEntity, {
        campaignId,
        contractId: target.contractId,
        organizationId: source.organizationId,
        id: copyId,
        ...provisionalReference(copyId),
        status: 'DRAFT',
        version: 1,
        title: source.title,
        summary: source.summary,
        objectives: source.objectives,
        description: source.description,
        themeId: source.themeId,
        stakeId: source.stakeId,
        measureId: source.measureId,
        location: source.location,
        startDate: shiftYears(source.startDate, years),
        endDate: shiftYears(source.endDate, years),
        renewalOfId: source.id,
        beneficiaries: source.beneficiaries,
        priorities: source.priorities,
        budget: source.budget,
        totalChargesCents: source.totalChargesCents,
        totalProductsCents: source.totalProductsCents,
        requestedCents: source.requestedCents,
        genderMarker: source.genderMarker,
        createdBy: user.id,
      });
      await em.insert(GrantApplicationEntity, copy);
      if (qpvs.length)
        await em.insert(
          ApplicationQpvEntity,
          qpvs.map((qpv) => ({ applicationId: copy.id, qpvCode: qpv.qpvCode })),
        );
      if (requests.length) {
        await em.insert(
          ApplicationRequestEntity,
          requests.map((request) => ({
            applicationId: copy.id,
            partnerId: request.partnerId,
            requestedCents: request.requestedCents,
            campaignId,
          })),
        );
      }
      const lasting = await em
        .getRepository(AttachmentEntity)
        .find({ where: { applicationId: id, kind: In([...LASTING_KINDS]) } });
      if (lasting.length) {
        await em.insert(
          AttachmentEntity,
          lasting.map(({ kind, filename, contentType, sizeBytes, sha256 }) => ({
            applicationId: copy.id,
            kind,
            filename,
            contentType,
            sizeBytes,
            sha256,
            uploadedBy: user.id,
          })),
        );
      }
      await em.insert(ApplicationTransitionEntity, {
        applicationId: copy.id,
        fromStatus: null,
        toStatus: 'DRAFT',
        actorId: user.id,
        message: `Renouvellement du dossier ${source.reference}`,
      });
      return copy.id;
    });
    return this.get(user, newId);
  }

  /** For attachments: the application must be the user's own and still editable. */
  async lockEditableOwned(em: EntityManager, user: AuthUser, id: string): Promise<GrantApplicationEntity> {
    const app = await this.lock(em, user, id, 'OWNER');
    if (!EDITABLE_STATUSES.includes(app.status)) {
      throw conflict('APPLICATION_LOCKED', 'Ce dossier a été déposé : ses pièces ne peuvent plus changer.', {
        currentStatus: app.status,
      });
    }
    return app;
  }
}
