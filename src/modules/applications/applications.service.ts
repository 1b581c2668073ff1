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
import { assertNothingBlocks, runChecks, type CheckInput, type CheckResult } from '../checks/checks.js';
import { CampaignEntity } from '../campaigns/campaign.entity.js';
import { CampaignsService, canSeeCampaign } from '../campaigns/campaigns.service.js';
import { DEFAULT_CAMPAIGN_RULES, type CampaignRules } from '../campaigns/campaign-rules.js';
import { OrganizationEntity } from '../accounts/organization.entity.js';
import { AttachmentEntity, LASTING_KINDS } from '../attachments/attachment.entity.js';
import { ConflictDeclarationEntity } from '../reviews/conflict-declaration.entity.js';
import { decisionsJson } from '../programming/granted.js';
import { insertValues, isoTimestamp } from '../../database/sql.js';
import { queryPrepared } from '../../database/prepared.js';
import { outboxInsert, type NewNotification, type NotificationType } from '../notifications/outbox.js';
import { actorCte } from '../../database/audit-actor.subscriber.js';
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
  contractId: string;
  themeId: string;
  themeCode: string;
  qpvCodes: string[] | undefined;
  partnerIds: Map<string, string>;
}

const STATUS_CONFLICT = 'APPLICATION_STATUS_CONFLICT';

/** What deciding whether a campaign takes new drafts reads. */
interface CampaignFacts {
  contract_id: string;
  status: CampaignEntity['status'];
  submission_deadline: Date;
}

/** What a draft's references point to (`readReferences`); the campaign's facts when read through it. */
type FoundReferences = Partial<CampaignFacts> & {
  contract_id: string;
  id: string | null;
  code: string;
  label: string;
  stake_ok: boolean;
  measure_ok: boolean;
  qpv_codes: string[];
  partner_ids: Record<string, string>;
};

/** The stake and measure a draft refers to once the fields are applied, and the financers its budget asks. */
const referencedStake = (fields: Fields, current?: GrantApplicationEntity): string | null =>
  fields.stakeId !== undefined ? fields.stakeId : (current?.stakeId ?? null);
const referencedMeasure = (fields: Fields, current?: GrantApplicationEntity): string | null =>
  fields.measureId !== undefined ? fields.measureId : (current?.measureId ?? null);
const requestedPartnerCodes = (fields: Fields): string[] =>
  (fields.budget?.products ?? []).flatMap((line) => (line.partnerCode ? [line.partnerCode] : []));

/**
 * Unique placeholder written with the row. The database numbers the application when the transaction commits
 * (deferred trigger `grant_applications_reference`, migration NumberApplicationsAtCommit): YEAR-THEME-NNNN,
 * consecutive per contract and year, with the counter row locked only during the commit.
 */
const provisionalReference = (id: string) => ({
  reference: `~${id.replaceAll('-', '').slice(0, 29)}`,
  referenceNumber: 0,
});

/** Who may read an application: its holder, its contract's city team, the financers it asks money of. */
function mayRead(
  user: AuthUser,
  app: { organizationId: string; contractId: string; submitted: boolean; asked: boolean },
): boolean {
  if (user.role === 'ASSOCIATION') return app.organizationId === user.organizationId;
  if (user.role === 'CITY_TEAM') return app.contractId === user.contractId;
  return app.contractId === user.contractId && app.submitted && !!user.partnerId && app.asked;
}

const conflictOfInterest = () =>
  new ApplicationError(
    'FORBIDDEN',
    'CONFLICT_OF_INTEREST',
    'Vous avez déclaré un conflit d’intérêts sur ce dossier.',
  );

/** SQL: an application `a` with its campaign `c` and theme `t`, what the check rules read around it. */
const CHECKED_APPLICATION = `grant_applications a JOIN campaigns c ON c.id = a.campaign_id JOIN themes t ON t.id = a.theme_id`;

/** SQL: the codes of the partners that put money in campaign `c`: those with an envelope, else the contract's financers. */
const FINANCER_CODES = `coalesce(
         nullif(ARRAY(SELECT DISTINCT p.code FROM envelopes e JOIN partners p ON p.id = e.partner_id
                       WHERE e.campaign_id = c.id ORDER BY p.code), '{}'),
         ARRAY(SELECT p.code FROM partners p WHERE p.contract_id = c.contract_id AND p.is_financer
                ORDER BY p.code))`;

/**
 * SQL select list over CHECKED_APPLICATION: what the check rules read besides the application's own fields
 * (campaign year and rules, theme, QPV, documents, the campaign's financers).
 */
const CHECK_FACTS = `c.year, c.rules, t.code AS theme_code,
       ARRAY(SELECT q.qpv_code FROM application_qpvs q WHERE q.application_id = a.id ORDER BY q.qpv_code) AS qpv_codes,
       ARRAY(SELECT DISTINCT d.kind FROM attachments d WHERE d.application_id = a.id) AS attachment_kinds,
       ${FINANCER_CODES} AS financer_codes`;

interface CheckFacts {
  year: number;
  rules: Partial<CampaignRules>;
  theme_code: string;
  qpv_codes: string[];
  attachment_kinds: string[];
  financer_codes: string[];
}

type CheckedFields = Pick<
  CheckInput,
  | 'stakeId'
  | 'title'
  | 'summary'
  | 'objectives'
  | 'description'
  | 'location'
  | 'startDate'
  | 'endDate'
  | 'beneficiaries'
  | 'priorities'
  | 'budget'
>;

function checksFrom(app: CheckedFields, facts: CheckFacts): CheckResult[] {
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

/**
 * The application view of `get`, as JSON built by the database ($1 application, $2 reader's partner, $3 reader),
 * with the check facts the view does not already carry (theme, QPV and documents are in it).
 */
const VIEW_SQL = `SELECT c.year, c.rules, ${FINANCER_CODES} AS financer_codes,
       a.organization_id, a.contract_id, a.submitted_at IS NOT NULL AS submitted,
       EXISTS (SELECT 1 FROM application_requests r WHERE r.application_id = a.id AND r.partner_id = $2) AS asked,
       EXISTS (SELECT 1 FROM conflict_declarations x WHERE x.application_id = a.id AND x.user_id = $3) AS conflicted,
       json_build_object(
         'id', a.id, 'campaignId', a.campaign_id, 'reference', a.reference, 'status', a.status,
         'version', a.version,
         'holder', (SELECT json_build_object('organizationId', o.id, 'name', o.name, 'legalForm', o.legal_form,
                             'siret', o.siret, 'rna', o.rna, 'address', o.address,
                             'legalRepresentative', o.legal_representative, 'contactEmail', o.contact_email)
                      FROM organizations o WHERE o.id = a.organization_id),
         'title', a.title, 'summary', a.summary, 'objectives', a.objectives, 'description', a.description,
         'themeCode', t.code, 'stakeId', a.stake_id, 'measureId', a.measure_id,
         'qpvCodes', ARRAY(SELECT q.qpv_code FROM application_qpvs q WHERE q.application_id = a.id ORDER BY q.qpv_code),
         'location', a.location, 'startDate', a.start_date, 'endDate', a.end_date, 'renewalOf', a.renewal_of_id,
         'beneficiaries', a.beneficiaries, 'priorities', a.priorities, 'budget', a.budget,
         'totalChargesCents', a.total_charges_cents, 'totalProductsCents', a.total_products_cents,
         'requests', coalesce((SELECT json_agg(json_build_object('partnerCode', p.code, 'requestedCents', r.requested_cents))
                                 FROM application_requests r JOIN partners p ON p.id = r.partner_id
                                WHERE r.application_id = a.id), '[]'),
         'certification', a.certification,
         'submittedAt', ${isoTimestamp('a.submitted_at')},
         'checks', a.checks,
         'attachments', coalesce((SELECT json_agg(json_build_object('id', d.id, 'kind', d.kind, 'filename', d.filename,
                                     'contentType', d.content_type, 'sizeBytes', d.size_bytes, 'sha256', d.sha256,
                                     'createdAt', ${isoTimestamp('d.created_at')}) ORDER BY d.created_at)
                                    FROM attachments d WHERE d.application_id = a.id), '[]'),
         'decisions', ${decisionsJson('a.id')},
         'copilNote', a.copil_note,
         'history', coalesce((SELECT json_agg(json_build_object('fromStatus', s.from_status, 'toStatus', s.to_status,
                                 'actorId', s.actor_id, 'message', s.message, 'at', ${isoTimestamp('s.created_at')})
                                 ORDER BY s.created_at)
                                FROM application_transitions s WHERE s.application_id = a.id), '[]'),
         'createdAt', ${isoTimestamp('a.created_at')}, 'updatedAt', ${isoTimestamp('a.updated_at')}) AS view
  FROM ${CHECKED_APPLICATION}
 WHERE a.id = $1`;

/**
 * What a submission reads ($1 application): the fields the checks read, their facts, the campaign's dates and
 * the holder's address for the acknowledgement.
 */
const SUBMISSION_SQL = `SELECT a.status, a.version, a.reference, a.organization_id, a.contract_id,
       a.stake_id AS "stakeId", a.title, a.summary, a.objectives, a.description, a.location,
       a.start_date::text AS "startDate", a.end_date::text AS "endDate", a.beneficiaries, a.priorities, a.budget,
       ${CHECK_FACTS}, c.status AS campaign_status, c.submission_deadline, c.title AS campaign_title,
       o.name AS holder_name, o.contact_email
  FROM ${CHECKED_APPLICATION} JOIN organizations o ON o.id = a.organization_id
 WHERE a.id = $1`;

/**
 * An email to the holder's contact address about an event of its application, once per event and version
 * of the application (the dedupe key), for `move` to write with the event.
 */
function holderEmail(
  app: Pick<GrantApplicationEntity, 'id' | 'version' | 'reference' | 'title' | 'contractId'>,
  holder: Pick<OrganizationEntity, 'name' | 'contactEmail'>,
  type: NotificationType,
  event: string,
  payload: Record<string, string>,
): NewNotification {
  return {
    type,
    to: holder.contactEmail,
    payload: { reference: app.reference, title: app.title, holderName: holder.name, ...payload },
    dedupeKey: `${event}:${app.id}:${app.version}`,
    contractId: app.contractId,
    applicationId: app.id,
  };
}

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
    const facts = { ...app, submitted: app.submittedAt !== null, asked: true };
    if (!mayRead(user, facts)) return false;
    if (user.role === 'ASSOCIATION' || user.role === 'CITY_TEAM') return true;
    return em
      .getRepository(ApplicationRequestEntity)
      .exists({ where: { applicationId: app.id, partnerId: user.partnerId! } });
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
    if (conflicted) throw conflictOfInterest();
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

  /**
   * Moves an application along its lifecycle table in one statement: status and version (with `also`, the
   * submission's columns), the history step, and `emails` in the outbox. It applies only if the row is still
   * at the version read: always so under the row lock; a caller that holds no lock (a submission) learns
   * from `moved` whether to decide again. The step is dated when written (`clock_timestamp()`, not the
   * transaction's start), so the history's order is the order of the changes. Returns the new outbox rows.
   */
  async move(
    em: EntityManager,
    app: Pick<GrantApplicationEntity, 'id' | 'status' | 'version' | 'reference'>,
    to: ApplicationStatus,
    actor: AuthUser,
    options: {
      message?: string;
      also?: Pick<GrantApplicationEntity, 'submittedAt' | 'checks' | 'certification'>;
      emails?: NewNotification[];
    } = {},
  ): Promise<{ moved: boolean; emails: string[] }> {
    assertTransition(APPLICATION_TRANSITIONS, app.status, to, `Dossier ${app.reference}`, STATUS_CONFLICT);
    const { message, also, emails = [] } = options;
    const parameters: unknown[] = [app.id, to, app.version, app.status, actor.id, message ?? null];
    const submission = also
      ? `, submitted_at = $${parameters.push(also.submittedAt)}, checks = $${parameters.push(
          JSON.stringify(also.checks),
        )}::jsonb, certification = $${parameters.push(JSON.stringify(also.certification))}::jsonb`
      : '';
    const outbox = emails.length
      ? `, emailed AS (${outboxInsert(emails, parameters, 'EXISTS (SELECT FROM moved)')} RETURNING id)`
      : '';
    const [written]: { moved: boolean; emails: string[] }[] = await queryPrepared(
      em,
      `WITH ${actorCte(parameters)},
       moved AS (
         UPDATE grant_applications SET status = $2, version = version + 1, updated_at = CURRENT_TIMESTAMP${submission}
          WHERE id = $1 AND version = $3 AND EXISTS (SELECT FROM actor)
          RETURNING id),
       step AS (
         INSERT INTO application_transitions (application_id, from_status, to_status, actor_id, message, created_at)
         SELECT id, $4, $2, $5, $6, clock_timestamp() FROM moved)${outbox}
       SELECT EXISTS (SELECT FROM moved) AS moved,
              ${emails.length ? 'ARRAY(SELECT id FROM emailed)' : "'{}'::uuid[]"} AS emails`,
      parameters,
    );
    if (written.moved) {
      this.logger.log(`Application ${app.id}: ${app.status} → ${to} by ${actor.id}`);
      app.status = to;
      app.version += 1;
    }
    return written;
  }

  // ---------------------------------------------------------------- writing drafts

  /**
   * Reads, in one query, what the references a draft's fields make (theme, stake, measure, QPV, financers)
   * point to in its contract. A new draft gives its campaign instead of the contract: the campaign's facts
   * come with the row (none when the campaign does not exist), for the caller to judge before the references.
   */
  private async readReferences(
    em: EntityManager,
    scope: { contractId: string } | { campaignId: string },
    fields: Fields,
    current?: GrantApplicationEntity,
  ): Promise<FoundReferences | undefined> {
    const [found]: FoundReferences[] = await queryPrepared(
      em,
      `WITH k AS (${
        'campaignId' in scope
          ? 'SELECT c.contract_id, c.status, c.submission_deadline FROM campaigns c WHERE c.id = $1'
          : 'SELECT $1::uuid AS contract_id'
      })
       SELECT k.*, t.id, t.code, t.label,
              EXISTS (SELECT 1 FROM stakes s WHERE s.id = $3 AND s.theme_id = t.id) AS stake_ok,
              EXISTS (SELECT 1 FROM measures m WHERE m.id = $4 AND m.stake_id = $3) AS measure_ok,
              ARRAY(SELECT q.code FROM qpvs q WHERE q.contract_id = k.contract_id AND q.code = ANY($5::text[])) AS qpv_codes,
              coalesce((SELECT json_object_agg(p.code, p.id) FROM partners p
                         WHERE p.contract_id = k.contract_id AND p.code = ANY($6::text[])), '{}') AS partner_ids
         FROM k LEFT JOIN themes t
           ON ${fields.themeCode ? 't.contract_id = k.contract_id AND t.code = $2' : 't.id = $2'}`,
      [
        'campaignId' in scope ? scope.campaignId : scope.contractId,
        fields.themeCode ?? current!.themeId,
        referencedStake(fields, current),
        referencedMeasure(fields, current),
        fields.qpvCodes ?? [],
        requestedPartnerCodes(fields),
      ],
    );
    return found;
  }

  /** Judges the references read by `readReferences` (422 on the first that is wrong); what a write needs of them. */
  private judgeReferences(
    theme: FoundReferences | undefined,
    fields: Fields,
    current?: GrantApplicationEntity,
  ): Resolved {
    const stakeId = referencedStake(fields, current);
    const measureId = referencedMeasure(fields, current);
    const partnerCodes = requestedPartnerCodes(fields);
    const themeCode = fields.themeCode;
    if (!theme?.id) throw unprocessable('UNKNOWN_THEME', `Thématique inconnue : ${themeCode}.`, 'themeCode');
    if (stakeId && !theme.stake_ok) {
      throw unprocessable(
        'STAKE_NOT_IN_THEME',
        `Cet enjeu n’appartient pas à la thématique ${theme.label}.`,
        'stakeId',
      );
    }
    if (measureId && (!stakeId || !theme.measure_ok)) {
      throw unprocessable(
        'MEASURE_NOT_IN_STAKE',
        'Cette mesure n’appartient pas à l’enjeu choisi.',
        'measureId',
      );
    }
    const unknownQpvs = (fields.qpvCodes ?? []).filter((code) => !theme.qpv_codes.includes(code));
    if (unknownQpvs.length)
      throw unprocessable(
        'UNKNOWN_QPV',
        `Quartier(s) hors du contrat de ville : ${unknownQpvs.join(', ')}.`,
        'qpvCodes',
      );
    if (fields.budget) assertBudgetShape(fields.budget.products);
    const partnerIds = new Map(Object.entries(theme.partner_ids));
    const unknownPartners = partnerCodes.filter((code) => !partnerIds.has(code));
    if (unknownPartners.length)
      throw unprocessable(
        'UNKNOWN_PARTNER',
        `Financeur(s) inconnu(s) : ${unknownPartners.join(', ')}.`,
        'budget.products',
      );
    const startDate = fields.startDate ?? current?.startDate;
    const endDate = fields.endDate ?? current?.endDate;
    if (startDate && endDate && startDate > endDate) {
      throw unprocessable(
        'DATES_OUT_OF_ORDER',
        'La date de fin de l’action précède sa date de début.',
        'endDate',
      );
    }
    return {
      themeId: theme.id,
      themeCode: theme.code,
      qpvCodes: fields.qpvCodes,
      partnerIds,
      contractId: theme.contract_id,
    };
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

  /**
   * Writes the QPV and request rows an edit's fields carry (replacing those there), in one statement.
   */
  private async writeDerived(
    em: EntityManager,
    app: GrantApplicationEntity,
    fields: Fields,
    resolved: Resolved,
  ): Promise<void> {
    const replaced = [
      resolved.qpvCodes && 'DELETE FROM application_qpvs WHERE application_id = $1',
      fields.budget && 'DELETE FROM application_requests WHERE application_id = $1',
    ].filter(Boolean);
    if (replaced.length)
      await queryPrepared(
        em,
        `WITH ${replaced.map((sql, index) => `d${index} AS (${sql})`).join(', ')} SELECT 1`,
        [app.id],
      );
    const parameters: unknown[] = [app.id];
    const inserts = this.derivedInserts(app, fields, resolved, parameters);
    if (inserts.length)
      await queryPrepared(
        em,
        `WITH ${inserts.map((sql, index) => `i${index} AS (${sql})`).join(', ')} SELECT 1`,
        parameters,
      );
  }

  /**
   * The INSERTs of the QPV and request rows the fields carry, for application $1 of `parameters` (their
   * values pushed there), each written only `onlyIf`.
   */
  private derivedInserts(
    app: GrantApplicationEntity,
    fields: Fields,
    resolved: Resolved,
    parameters: unknown[],
    onlyIf = 'true',
  ): string[] {
    const parameter = (value: unknown) => `$${parameters.push(value)}`;
    const requests = (fields.budget?.products ?? []).filter(
      (line) => line.account === SUBSIDY_ACCOUNT && line.partnerCode,
    );
    const inserts: string[] = [];
    if (resolved.qpvCodes?.length) {
      inserts.push(
        `INSERT INTO application_qpvs (application_id, qpv_code)
         SELECT $1, unnest(${parameter(resolved.qpvCodes)}::text[]) WHERE ${onlyIf}`,
      );
    }
    if (requests.length) {
      inserts.push(
        `INSERT INTO application_requests (application_id, campaign_id, partner_id, requested_cents)
         SELECT $1, ${parameter(app.campaignId)}::uuid, unnest(${parameter(
           requests.map((line) => resolved.partnerIds.get(line.partnerCode!)!),
         )}::uuid[]), unnest(${parameter(requests.map((line) => line.amountCents))}::bigint[]) WHERE ${onlyIf}`,
      );
    }
    return inserts;
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

  private assertCampaignAccepts(campaign: Pick<CampaignEntity, 'status' | 'submissionDeadline'>): void {
    if (campaign.status !== 'OPEN' || Date.now() > campaign.submissionDeadline.getTime()) {
      throw conflict('CAMPAIGN_NOT_OPEN', 'Cet appel à projets n’est pas ouvert aux dépôts.', {
        campaignStatus: campaign.status,
      });
    }
  }

  /**
   * A new draft in three statements: the campaign and the draft's references read in one query, then the
   * application, its QPV and request rows and the first step of its history written by one statement (it
   * commits alone, numbered by the database at commit), written only if the campaign still takes drafts.
   */
  async create(user: AuthUser, campaignId: string, input: CreateApplicationDto): Promise<ApplicationDto> {
    if (!user.organizationId) throw notFound('Structure');
    const em = this.dataSource.manager;
    // The campaign is judged before the references: 404 or 409 before any 422.
    const found = await this.readReferences(em, { campaignId }, input);
    if (!found || !canSeeCampaign(user, { contractId: found.contract_id, status: found.status! }))
      throw notFound('Appel à projets');
    this.assertCampaignAccepts({ status: found.status!, submissionDeadline: found.submission_deadline! });
    const resolved = this.judgeReferences(found, input);
    await this.assertOwnRenewalSource(em, user, input.renewalOf);
    const id = randomUUID();
    const app = em.create(GrantApplicationEntity, {
      id,
      campaignId,
      contractId: resolved.contractId,
      organizationId: user.organizationId,
      ...provisionalReference(id),
      status: 'DRAFT',
      version: 1,
      createdBy: user.id,
      renewalOfId: null,
    });
    this.apply(app, input, resolved);

    const parameters: unknown[] = [id];
    const row = insertValues(this.dataSource, GrantApplicationEntity, app, parameters);
    const campaignParameter = parameters.push(campaignId);
    const written = 'EXISTS (SELECT FROM created)';
    const inserts = [
      ...this.derivedInserts(app, input, resolved, parameters, written),
      `INSERT INTO application_transitions (application_id, from_status, to_status, actor_id)
       SELECT $1, NULL, 'DRAFT', $${parameters.push(user.id)}::uuid WHERE ${written}`,
    ];
    const [result]: { created: boolean }[] = await queryPrepared(
      em,
      `WITH ${actorCte(parameters)},
       created AS (
         INSERT INTO grant_applications (${row.columns})
         SELECT ${row.values} FROM campaigns c, actor
          WHERE c.id = $${campaignParameter} AND c.status = 'OPEN' AND CURRENT_TIMESTAMP <= c.submission_deadline
         RETURNING id),
       ${inserts.map((sql, index) => `i${index} AS (${sql})`).join(',\n       ')}
       SELECT EXISTS (SELECT FROM created) AS created`,
      parameters,
    );
    // The call closed between the read and the write.
    if (!result.created)
      throw conflict('CAMPAIGN_NOT_OPEN', 'Cet appel à projets n’est pas ouvert aux dépôts.');
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
      const found = await this.readReferences(em, { contractId: app.contractId }, input, app);
      const resolved = this.judgeReferences(found, input, app);
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

  /**
   * The application as the API shows it, in one query (it is also the answer to every write, so it is hot):
   * the view built as JSON by the database, what the access rules and the live checks need beside it.
   */
  async get(user: AuthUser, id: string): Promise<ApplicationDto> {
    const [row]: (Pick<CheckFacts, 'year' | 'rules' | 'financer_codes'> & {
      organization_id: string;
      contract_id: string;
      submitted: boolean;
      asked: boolean;
      conflicted: boolean;
      view: ApplicationDto;
    })[] = await queryPrepared(this.dataSource.manager, VIEW_SQL, [id, user.partnerId ?? null, user.id]);
    const readable =
      row &&
      mayRead(user, {
        organizationId: row.organization_id,
        contractId: row.contract_id,
        submitted: row.submitted,
        asked: row.asked,
      });
    if (!readable) throw notFound('Dossier');
    if (user.role === 'FINANCER' && row.conflicted) throw conflictOfInterest();
    const view = row.view;
    view.requests.sort((a, b) => a.partnerCode.localeCompare(b.partnerCode));
    if (EDITABLE_STATUSES.includes(view.status) || !view.checks) {
      view.checks = checksFrom(view, {
        ...row,
        theme_code: view.themeCode,
        qpv_codes: view.qpvCodes,
        attachment_kinds: [...new Set(view.attachments.map((attachment) => attachment.kind))],
      });
    }
    return view;
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

  /** The checks as they stand, from the stored application row and what its rules read around it. */
  private async liveChecks(em: EntityManager, app: GrantApplicationEntity): Promise<CheckResult[]> {
    const [facts]: CheckFacts[] = await queryPrepared(
      em,
      `SELECT ${CHECK_FACTS} FROM ${CHECKED_APPLICATION} WHERE a.id = $1`,
      [app.id],
    );
    return checksFrom(app, facts);
  }

  async checks(user: AuthUser, id: string): Promise<{ items: CheckResult[]; total: number }> {
    const app = await this.findReadable(user, id);
    const items = await this.liveChecks(this.dataSource.manager, app);
    return { items, total: items.length };
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Submits a draft (or a returned application) in two statements and no transaction held across round trips:
   * one read of the application with what the checks and the acknowledgement need, then one write (status,
   * checks, certification, history step, acknowledgement in the outbox) that applies only if the row is
   * still at the version read. If it moved in between (an edit, a withdrawal), the submission starts over
   * from the new state, so the answer is the one a lock would have given.
   */
  async submit(user: AuthUser, id: string, input: SubmitApplicationDto): Promise<ApplicationDto> {
    for (let attempt = 1; ; attempt += 1) {
      const [app]: (CheckedFields &
        CheckFacts & {
          status: ApplicationStatus;
          version: number;
          reference: string;
          organization_id: string;
          contract_id: string;
          campaign_status: CampaignEntity['status'];
          submission_deadline: Date;
          campaign_title: string;
          holder_name: string;
          contact_email: string;
        })[] = await queryPrepared(this.dataSource.manager, SUBMISSION_SQL, [id]);
      if (!app || user.role !== 'ASSOCIATION' || app.organization_id !== user.organizationId)
        throw notFound('Dossier');
      if (!EDITABLE_STATUSES.includes(app.status)) {
        throw conflict(STATUS_CONFLICT, `Le dossier ${app.reference} est déjà déposé.`, {
          currentStatus: app.status,
        });
      }
      // A first submission needs the call open; a return asked by the city team may be answered during instruction.
      const open =
        app.status === 'DRAFT'
          ? app.campaign_status === 'OPEN' && Date.now() <= app.submission_deadline.getTime()
          : app.campaign_status === 'OPEN' || app.campaign_status === 'REVIEW';
      if (!open)
        throw conflict('SUBMISSION_CLOSED', 'La date limite de dépôt est passée.', {
          submissionDeadline: app.submission_deadline.toISOString(),
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
      const results = checksFrom(app, app);
      assertNothingBlocks(results, 'CHECKS_FAILED', 'Le dossier');

      const now = new Date();
      const written = await this.move(
        this.dataSource.manager,
        { id, status: app.status, version: app.version, reference: app.reference },
        'SUBMITTED',
        user,
        {
          also: {
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
          // The acknowledgement of receipt, written with the submission; sent once committed, or by the sweep.
          emails: [
            holderEmail(
              {
                id,
                version: app.version + 1,
                reference: app.reference,
                title: app.title ?? '',
                contractId: app.contract_id,
              },
              { name: app.holder_name, contactEmail: app.contact_email },
              'APPLICATION_SUBMITTED',
              'submitted',
              {
                campaignTitle: app.campaign_title,
                submittedAt: frenchDateTime(now),
                signatoryName: certification.signatoryName,
                signatoryRole: certification.signatoryRole,
              },
            ),
          ],
        },
      );
      if (!written.moved) {
        // Changed since read: decide again on what it is now (an edit storm is answered as a conflict).
        if (attempt < 10) continue;
        throw conflict(STATUS_CONFLICT, `Le dossier ${app.reference} change en ce moment : réessayez.`);
      }
      await this.notifications.dispatch(written.emails);
      return this.get(user, id);
    }
  }

  async returnToHolder(user: AuthUser, id: string, message: string): Promise<ApplicationDto> {
    const emails = await this.dataSource.transaction(async (em) => {
      const app = await this.lock(em, user, id, 'CITY_TEAM');
      const holder = await em.getRepository(OrganizationEntity).findOneByOrFail({ id: app.organizationId });
      const email = holderEmail(
        { ...app, version: app.version + 1 },
        holder,
        'APPLICATION_RETURNED',
        'returned',
        { message },
      );
      return (await this.move(em, app, 'RETURNED', user, { message, emails: [email] })).emails;
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
      await this.move(em, app, input.eligible ? 'ELIGIBLE' : 'INELIGIBLE', user, {
        message: input.reason?.trim() || undefined,
      });
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
}
