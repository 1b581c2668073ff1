import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { centsFromSql } from '../../common/money.js';
import { actorCte } from '../../database/audit-actor.js';
import { queryPrepared } from '../../database/prepared.js';
import { insertValues, isoTimestamp } from '../../database/sql.js';
import { applicationRelationsSql } from '../access/access.repository.js';
import type { ApplicationRelations } from '../access/access-policy.js';
import type { CampaignEntity } from '../campaigns/campaign.entity.js';
import { outboxInsert, type NewNotification } from '../notifications/outbox.repository.js';
import { GrantApplicationEntity } from './application.entity.js';
import { ApplicationQpvEntity } from './application-qpv.entity.js';
import type { ApplicationStatus } from './application-status.js';
import type { CheckedFields, CheckFacts } from './application-checks.js';
import { isSubsidyLine } from '../checks/checks.js';
import type { ApplicationDto, ApplicationQueryDto } from './dto/application.dto.js';
import {
  referencedMeasure,
  referencedStake,
  requestedPartnerCodes,
  type CampaignFacts,
  type DraftFields,
  type FoundReferences,
  type ResolvedReferences,
} from './references.js';

/** The view of `get` with the reader's relations to it and the check facts it does not carry itself. */
export type ViewRow = Pick<CheckFacts, 'year' | 'rules' | 'financerCodes' | 'partnerNames'> &
  ApplicationRelations & { view: ApplicationDto };

/** What a submission reads: the checked fields, their facts, the campaign's dates, the holder's address. */
export type SubmissionRow = CheckedFields &
  CheckFacts & {
    status: ApplicationStatus;
    version: number;
    reference: string;
    organizationId: string;
    contractId: string;
    campaignStatus: CampaignEntity['status'];
    submissionDeadline: Date;
    campaignTitle: string;
    holderName: string;
    /** Where official emails go (`official_email()`): null while no address of the holder is confirmed. */
    contactEmail: string | null;
    holderSiret: string | null;
    holderLegalForm: string;
    holderRepresentative: string;
  };

/** What a renewal reads (`renewalFacts`). */
export interface RenewalFacts {
  sourceYear: number;
  qpvCodes: string[];
  partnerIds: Record<string, string>;
  target: (CampaignFacts & { contractId: string; year: number }) | null;
  renewed: boolean;
}

/** A row of the applications list. */
export interface ListRow {
  id: string;
  reference: string;
  status: ApplicationStatus;
  campaignId: string;
  organizationId: string;
  holderName: string;
  title: string;
  themeCode: string;
  totalCostCents: number;
  requestedCents: number;
  submittedAt: Date | null;
  updatedAt: Date;
}

/** A COPIL decision on an application, with what was asked of the financer. */
export interface DecisionView {
  partnerCode: string;
  requestedCents: number;
  grantedAmountCents: number;
  reason: string | null;
  decidedAt: string;
}

/**
 * SQL: an application's decisions as a JSON array of `DecisionView`, with what was asked of each financer
 * (part of the dossier's view; the programming module reads it too).
 */
export const decisionsJson = (applicationId: string): string =>
  `coalesce((SELECT json_agg(json_build_object('partnerCode', p.code, 'requestedCents', r.requested_cents,
                       'grantedAmountCents', d.granted_cents, 'reason', d.reason,
                       'decidedAt', ${isoTimestamp('d.decided_at')}) ORDER BY p.code)
               FROM decisions d
               JOIN partners p ON p.id = d.partner_id
               JOIN application_requests r ON r.application_id = d.application_id AND r.partner_id = d.partner_id
              WHERE d.application_id = ${applicationId}), '[]')`;

/** SQL: an application `a` with its campaign `c` and theme `t`, what the check rules read around it. */
const CHECKED_APPLICATION = `grant_applications a JOIN campaigns c ON c.id = a.campaign_id JOIN themes t ON t.id = a.theme_id`;

/** SQL: the codes of the partners that put money in campaign `c`: those with an envelope, else the contract's financers. */
const FINANCER_CODES = `coalesce(
         nullif(ARRAY(SELECT DISTINCT p.code FROM envelopes e JOIN partners p ON p.id = e.partner_id
                       WHERE e.campaign_id = c.id ORDER BY p.code), '{}'),
         ARRAY(SELECT p.code FROM partners p WHERE p.contract_id = c.contract_id AND p.is_financer
                ORDER BY p.code))`;

/** SQL select list over CHECKED_APPLICATION: the `CheckFacts`. */
/** The contract's partners' names by code: messages to associations name them, never by a bare code. */
const PARTNER_NAMES = `(SELECT coalesce(json_object_agg(p.code, p.name), '{}') FROM partners p WHERE p.contract_id = c.contract_id)`;

const CHECK_FACTS = `c.year, c.rules, t.code AS "themeCode", ${PARTNER_NAMES} AS "partnerNames",
       ARRAY(SELECT q.qpv_code FROM application_qpvs q WHERE q.application_id = a.id ORDER BY q.qpv_code) AS "qpvCodes",
       ARRAY(SELECT DISTINCT d.kind FROM attachments d WHERE d.application_id = a.id) AS "attachmentKinds",
       ${FINANCER_CODES} AS "financerCodes"`;

/**
 * The application view of `get`, as JSON built by the database ($1 application; $2 to $5 the reader's
 * organisation, contract, partner and id for its relations), with the check facts the view does not carry.
 */
const VIEW_SQL = `SELECT c.year, c.rules, ${FINANCER_CODES} AS "financerCodes", ${PARTNER_NAMES} AS "partnerNames",
       ${applicationRelationsSql('a', { organization: '$2::uuid', contract: '$3::uuid', partner: '$4::uuid', user: '$5::uuid' })},
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
         'indicators', coalesce(a.indicators, '[]'),
         'totalChargesCents', a.total_charges_cents, 'totalCostCents', a.total_cost_cents,
         'inKindCents', a.in_kind_cents, 'totalProductsCents', a.total_products_cents,
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

/** What a submission reads ($1 application). */
const SUBMISSION_SQL = `SELECT a.status, a.version, a.reference, a.organization_id AS "organizationId",
       a.contract_id AS "contractId",
       a.stake_id AS "stakeId", a.title, a.summary, a.objectives, a.description, a.location,
       a.start_date::text AS "startDate", a.end_date::text AS "endDate", a.beneficiaries, a.priorities, a.budget,
       a.indicators,
       ${CHECK_FACTS}, c.status AS "campaignStatus", c.submission_deadline AS "submissionDeadline",
       c.title AS "campaignTitle", o.name AS "holderName", official_email(o.id) AS "contactEmail",
       o.siret AS "holderSiret", o.legal_form AS "holderLegalForm", o.legal_representative AS "holderRepresentative"
  FROM ${CHECKED_APPLICATION} JOIN organizations o ON o.id = a.organization_id
 WHERE a.id = $1`;

const CHECK_FACTS_SQL = `SELECT ${CHECK_FACTS} FROM ${CHECKED_APPLICATION} WHERE a.id = $1`;

/** A status move's options: the submission's columns, the history step's message, the emails it sends. */
export interface MoveOptions {
  message?: string;
  also?: Pick<GrantApplicationEntity, 'submittedAt' | 'checks' | 'certification'>;
  emails?: NewNotification[];
}

/** Every hand-written statement on applications and the rows that hang on them (QPV, requests, history). */
/**
 * `expression` in lower case without the accents of French (the search compares it with words folded the same
 * way in JavaScript), with no extension to install.
 */
function foldedSql(expression: string): string {
  return `translate(lower(${expression}), 'àâäáãéèêëíìîïóòôöõúùûüçñÿœæ', 'aaaaaeeeeiiiiooooouuuucnyoa')`;
}

@Injectable()
export class ApplicationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, em: EntityManager = this.dataSource.manager): Promise<GrantApplicationEntity | null> {
    return em.getRepository(GrantApplicationEntity).findOne({ where: { id } });
  }

  /** The row locked for a status change or an edit. */
  lock(em: EntityManager, id: string): Promise<GrantApplicationEntity | null> {
    return em
      .getRepository(GrantApplicationEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async view(user: AuthUser, id: string): Promise<ViewRow | undefined> {
    const [row] = await queryPrepared<ViewRow>(this.dataSource.manager, VIEW_SQL, [
      id,
      user.organizationId,
      user.contractId,
      user.partnerId,
      user.id,
    ]);
    return row;
  }

  async submissionFacts(id: string): Promise<SubmissionRow | undefined> {
    const [row] = await queryPrepared<SubmissionRow>(this.dataSource.manager, SUBMISSION_SQL, [id]);
    return row;
  }

  /**
   * For a renewal: the renewed application's reference when its report is overdue (its campaign's report
   * deadline passed and no report submitted or accepted), else undefined.
   */
  async overdueReportOfRenewed(id: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ reference: string }[]>(
      `SELECT p.reference FROM grant_applications a
         JOIN grant_applications p ON p.id = a.renewal_of_id AND p.status = 'PROGRAMMED'
         JOIN campaigns c ON c.id = p.campaign_id AND c.report_deadline < now()
        WHERE a.id = $1
          AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.application_id = p.id AND r.status IN ('SUBMITTED', 'ACCEPTED'))`,
      [id],
    );
    return row?.reference;
  }

  async checkFacts(id: string, em: EntityManager = this.dataSource.manager): Promise<CheckFacts> {
    const [facts] = await queryPrepared<CheckFacts>(em, CHECK_FACTS_SQL, [id]);
    return facts;
  }

  /**
   * Moves an application to `to` in one statement: status and version (with `also`, the submission's
   * columns), the history step, and `emails` in the outbox. It applies only if the row is still at
   * `version`. The step is dated when written (`clock_timestamp()`, not the transaction's start), so the
   * history's order is the order of the changes. Returns whether it moved and the new outbox rows.
   */
  async moveIfVersion(
    em: EntityManager,
    app: Pick<GrantApplicationEntity, 'id' | 'status' | 'version'>,
    to: ApplicationStatus,
    actorId: string,
    { message, also, emails = [] }: MoveOptions,
  ): Promise<{ moved: boolean; emails: string[] }> {
    const parameters: unknown[] = [app.id, to, app.version, app.status, actorId, message ?? null];
    const submission = also
      ? `, submitted_at = $${parameters.push(also.submittedAt)}, checks = $${parameters.push(
          JSON.stringify(also.checks),
        )}::jsonb, certification = $${parameters.push(JSON.stringify(also.certification))}::jsonb`
      : '';
    const outbox = emails.length
      ? `, emailed AS (${outboxInsert(emails, parameters, 'EXISTS (SELECT FROM moved)')} RETURNING id)`
      : '';
    const [written] = await queryPrepared<{ moved: boolean; emails: string[] }>(
      em,
      `WITH ${actorCte(parameters, { id: actorId })},
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
    return written;
  }

  /**
   * Reads, in one query, what the references a draft's fields make (theme, stake, measure, QPV, financers)
   * point to in its contract. A new draft gives its campaign instead of the contract: the campaign's facts
   * come with the row (none when the campaign does not exist), for the caller to judge before the references.
   */
  async findReferences(
    em: EntityManager,
    scope: { contractId: string } | { campaignId: string },
    fields: DraftFields,
    current?: GrantApplicationEntity,
  ): Promise<FoundReferences | undefined> {
    const [found] = await queryPrepared<FoundReferences>(
      em,
      `WITH k AS (${
        'campaignId' in scope
          ? 'SELECT c.contract_id, c.status, c.submission_deadline FROM campaigns c WHERE c.id = $1'
          : 'SELECT $1::uuid AS contract_id'
      })
       SELECT k.contract_id AS "contractId", ${'campaignId' in scope ? 'k.status, k.submission_deadline AS "submissionDeadline",' : ''}
              t.id, t.code, t.label,
              EXISTS (SELECT 1 FROM stakes s WHERE s.id = $3 AND s.theme_id = t.id) AS "stakeOk",
              EXISTS (SELECT 1 FROM measures m WHERE m.id = $4 AND m.stake_id = $3) AS "measureOk",
              ARRAY(SELECT q.code FROM qpvs q WHERE q.contract_id = k.contract_id AND q.code = ANY($5::text[])) AS "qpvCodes",
              coalesce((SELECT json_object_agg(p.code, p.id) FROM partners p
                         WHERE p.contract_id = k.contract_id AND p.code = ANY($6::text[])), '{}') AS "partnerIds"
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

  /**
   * Writes a new draft in one statement, only if its campaign still takes drafts: the application, its QPV
   * and request rows, the first step of its history (with `message`) and, for a renewal, the lasting
   * documents of `copyAttachmentsOf`. The database numbers it when the statement commits. False: the call
   * closed since it was read.
   */
  async insertDraft(
    app: GrantApplicationEntity,
    fields: DraftFields,
    resolved: ResolvedReferences,
    actorId: string,
    options: {
      message?: string;
      copyAttachmentsOf?: { applicationId: string; kinds: readonly string[] };
    } = {},
  ): Promise<boolean> {
    const parameters: unknown[] = [app.id];
    const row = insertValues(this.dataSource, GrantApplicationEntity, app, parameters);
    const campaignParameter = parameters.push(app.campaignId);
    const written = 'EXISTS (SELECT FROM created)';
    const copy = options.copyAttachmentsOf;
    const inserts = [
      ...this.derivedInserts(app, fields, resolved, parameters, written),
      `INSERT INTO application_transitions (application_id, from_status, to_status, actor_id, message)
       SELECT $1, NULL, 'DRAFT', $${parameters.push(actorId)}::uuid, $${parameters.push(options.message ?? null)}::text
        WHERE ${written}`,
      ...(copy
        ? [
            `INSERT INTO attachments (application_id, kind, filename, content_type, size_bytes, sha256, uploaded_by)
             SELECT $1, kind, filename, content_type, size_bytes, sha256, $${parameters.push(actorId)}::uuid
               FROM attachments
              WHERE application_id = $${parameters.push(copy.applicationId)}::uuid
                AND kind = ANY($${parameters.push(copy.kinds)}::text[]) AND ${written}`,
          ]
        : []),
    ];
    const [result] = await queryPrepared<{ created: boolean }>(
      this.dataSource.manager,
      `WITH ${actorCte(parameters, { id: actorId })},
       created AS (
         INSERT INTO grant_applications (${row.columns})
         SELECT ${row.values} FROM campaigns c, actor
          WHERE c.id = $${campaignParameter} AND c.status = 'OPEN' AND CURRENT_TIMESTAMP <= c.submission_deadline
         RETURNING id),
       ${inserts.map((sql, index) => `i${index} AS (${sql})`).join(',\n       ')}
       SELECT EXISTS (SELECT FROM created) AS created`,
      parameters,
    );
    return result.created;
  }

  /** Saves an edited draft and replaces the QPV and request rows its fields carry. */
  async saveDraft(
    em: EntityManager,
    app: GrantApplicationEntity,
    fields: DraftFields,
    resolved: ResolvedReferences,
  ): Promise<void> {
    await em.save(app);
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
    fields: DraftFields,
    resolved: ResolvedReferences,
    parameters: unknown[],
    onlyIf = 'true',
  ): string[] {
    const parameter = (value: unknown) => `$${parameters.push(value)}`;
    const requests = (fields.budget?.products ?? []).filter(
      (line) => isSubsidyLine(line) && line.partnerCode,
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

  /**
   * What renewing application $1 in campaign $2 reads: the source's campaign year, QPV codes and the
   * partners its requests ask (code → id), the target campaign's facts, and whether the source was
   * already renewed there (a renewal not withdrawn).
   */
  async renewalFacts(sourceId: string, campaignId: string): Promise<RenewalFacts> {
    const [row] = await queryPrepared<RenewalFacts>(
      this.dataSource.manager,
      `SELECT c.year AS "sourceYear",
              ARRAY(SELECT q.qpv_code FROM application_qpvs q WHERE q.application_id = a.id) AS "qpvCodes",
              coalesce((SELECT json_object_agg(p.code, p.id) FROM application_requests r JOIN partners p ON p.id = r.partner_id
                         WHERE r.application_id = a.id), '{}') AS "partnerIds",
              (SELECT json_build_object('contractId', k.contract_id, 'status', k.status, 'year', k.year,
                                        'submissionDeadline', k.submission_deadline)
                 FROM campaigns k WHERE k.id = $2) AS target,
              EXISTS (SELECT 1 FROM grant_applications n WHERE n.renewal_of_id = a.id AND n.campaign_id = $2
                         AND n.status <> 'WITHDRAWN') AS renewed
         FROM grant_applications a JOIN campaigns c ON c.id = a.campaign_id WHERE a.id = $1`,
      [sourceId, campaignId],
    );
    if (row.target) row.target.submissionDeadline = new Date(row.target.submissionDeadline);
    return row;
  }

  /**
   * A page of the applications `filter` lets through (SQL on alias `a`, values already in `parameters`),
   * with the query's filters, and the total.
   */
  async list(
    filter: string,
    parameters: unknown[],
    query: ApplicationQueryDto,
  ): Promise<{ rows: (ListRow & { qpvCodes: string[] })[]; total: number }> {
    const conditions = [filter];
    const parameter = (value: unknown) => `$${parameters.push(value)}`;
    if (query.campaignId) conditions.push(`a.campaign_id = ${parameter(query.campaignId)}::uuid`);
    if (query.status) conditions.push(`a.status = ${parameter(query.status)}`);
    if (query.themeCode) conditions.push(`t.code = ${parameter(query.themeCode)}`);
    if (query.qpvCode)
      conditions.push(
        `EXISTS (SELECT 1 FROM application_qpvs q WHERE q.application_id = a.id AND q.qpv_code = ${parameter(query.qpvCode)})`,
      );
    if (query.partnerCode)
      conditions.push(
        `EXISTS (SELECT 1 FROM application_requests r JOIN partners p ON p.id = r.partner_id
                  WHERE r.application_id = a.id AND p.code = ${parameter(query.partnerCode)})`,
      );
    if (query.q?.trim()) {
      const folded = query.q.trim().normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      const words = parameter(`%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      conditions.push(`${foldedSql("a.reference || ' ' || a.title || ' ' || o.name")} LIKE ${words}`);
    }
    if (query.check)
      conditions.push(`a.checks @> ${parameter(JSON.stringify([{ status: query.check }]))}::jsonb`);
    const where = conditions.join(' AND ');
    const order = {
      reference: 'a.reference ASC',
      '-requested': 'a.requested_cents DESC, a.reference ASC',
      submitted: 'a.submitted_at ASC NULLS LAST, a.reference ASC',
      holder: 'o.name ASC, a.reference ASC',
    }[query.sort ?? 'reference'];
    const from = `FROM grant_applications a JOIN themes t ON t.id = a.theme_id JOIN organizations o ON o.id = a.organization_id
        WHERE ${where}`;
    const countParameters = parameters.slice();
    // The total comes with the page (one pass over the filtered rows); a page past the end counts apart.
    const page = await this.dataSource.query<
      (Omit<ListRow, 'totalCostCents' | 'requestedCents'> & {
        totalCostCents: string;
        requestedCents: string;
        total: number;
      })[]
    >(
      `SELECT a.id, a.reference, a.status, a.campaign_id AS "campaignId", a.organization_id AS "organizationId",
              o.name AS "holderName", a.title, t.code AS "themeCode",
              a.total_cost_cents::text AS "totalCostCents", a.requested_cents::text AS "requestedCents",
              a.submitted_at AS "submittedAt", a.updated_at AS "updatedAt", count(*) OVER ()::int AS total
         ${from}
        ORDER BY ${order}
        LIMIT ${parameter(query.limit)} OFFSET ${parameter(query.offset)}`,
      parameters,
    );
    const total = page.length
      ? page[0].total
      : (
          await this.dataSource.query<{ total: number }[]>(
            `SELECT count(*)::int AS total ${from}`,
            countParameters,
          )
        )[0].total;
    const rows = page.map(({ total: _total, ...row }) => row);
    const qpvs = rows.length
      ? await this.dataSource
          .getRepository(ApplicationQpvEntity)
          .find({ where: { applicationId: In(rows.map((row) => row.id)) } })
      : [];
    return {
      total,
      rows: rows.map((row) => ({
        ...row,
        totalCostCents: centsFromSql(row.totalCostCents),
        requestedCents: centsFromSql(row.requestedCents),
        qpvCodes: qpvs
          .filter((qpv) => qpv.applicationId === row.id)
          .map((qpv) => qpv.qpvCode)
          .sort(),
      })),
    };
  }

  /** How many applications `filter` lets through in each of these campaigns, per status. */
  statusCounts(
    filter: string,
    parameters: unknown[],
    campaignIds: string[],
  ): Promise<{ campaignId: string; status: string; count: number }[]> {
    const ids = `$${parameters.push(campaignIds)}`;
    return this.dataSource.query(
      `SELECT a.campaign_id AS "campaignId", a.status, count(*)::int AS count
         FROM grant_applications a
        WHERE a.campaign_id = ANY(${ids}::uuid[]) AND ${filter}
        GROUP BY a.campaign_id, a.status`,
      parameters,
    );
  }
}
