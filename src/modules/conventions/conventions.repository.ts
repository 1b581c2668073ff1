import type { BudgetLine } from '../checks/checks.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Inside the closing transaction: one PENDING convention per funded application of the campaign. */
export async function createConventions(
  em: EntityManager,
  campaignId: string,
  issuedOn: string,
): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    `INSERT INTO conventions (application_id, number, issued_on)
     SELECT id, 'CONV-' || reference, $2::date FROM grant_applications WHERE campaign_id = $1 AND status = 'PROGRAMMED'
     ON CONFLICT (application_id) DO NOTHING
     RETURNING id`,
    [campaignId, issuedOn],
  );
  return rows.map((row) => row.id);
}

/** What a convention says of its dossier, holder and campaign (text as the database gives it). */
/** A financer's grant, as the convention names it. */
export interface ConventionGrant {
  name: string;
  code: string;
  signatory: string | null;
  granted: string;
}

export interface ConventionFacts {
  reference: string;
  title: string;
  summary: string | null;
  startDate: string | null;
  endDate: string | null;
  totalCost: string;
  inKind: string;
  budget: { charges: BudgetLine[]; products: BudgetLine[] } | null;
  copilDate: string;
  /** Each financer's deliberation reference, by partner code. */
  deliberations: Record<string, string>;
  indicators: { label: string; unit: string; targetValue: number }[] | null;
  contractId: string;
  holder: string;
  legalForm: string;
  siret: string | null;
  rna: string | null;
  address: string;
  legalRepresentative: string;
  /** Who signed the application's sworn statement, and in what capacity (the holder's signatory). */
  signatoryName: string | null;
  signatoryRole: string | null;
  /** Where official emails go (`official_email()`): null while no address of the holder is confirmed. */
  contactEmail: string | null;
  year: string;
  rules: string;
  reportDeadline: string;
  contractName: string;
  signaturePlace: string;
  theme: string;
  stake: string | null;
  qpvs: string | null;
}

/** The conventions' statements: creation, the relay's reads, and what a convention says. */
@Injectable()
export class ConventionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** How many times each convention was (re)generated: the generation's job id. */
  generations(ids: string[]): Promise<{ id: string; generations: number }[]> {
    return this.dataSource.query('SELECT id, generations FROM conventions WHERE id = ANY($1)', [ids]);
  }

  /** Conventions left PENDING for longer than `olderThanMs` (at most 5,000 a sweep). */
  async pendingSince(olderThanMs: number): Promise<{ id: string; generations: number }[]> {
    return this.dataSource.query<{ id: string; generations: number }[]>(
      `SELECT id, generations FROM conventions WHERE status = 'PENDING' AND updated_at < now() - ($1 || ' milliseconds')::interval LIMIT 5000`,
      [String(olderThanMs)],
    );
  }

  /** An application's status, its campaign's, and when the programming was closed. */
  async fundingState(
    applicationId: string,
  ): Promise<{ status: string; campaignStatus: string; closedAt: Date | null }> {
    const [row] = await this.dataSource.query<
      { status: string; campaignStatus: string; closedAt: Date | null }[]
    >(
      `SELECT a.status, c.status AS "campaignStatus",
              (SELECT max(created_at) FROM campaign_transitions t WHERE t.campaign_id = c.id AND t.to_status = 'PROGRAMMED') AS "closedAt"
         FROM grant_applications a JOIN campaigns c ON c.id = a.campaign_id WHERE a.id = $1`,
      [applicationId],
    );
    return row;
  }

  /** Creates the application's convention, or sets it back to PENDING for a new generation; its id. */
  async resetForApplication(em: EntityManager, applicationId: string, issuedOn: string): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO conventions (application_id, number, issued_on)
       SELECT id, 'CONV-' || reference, $2::date FROM grant_applications WHERE id = $1
       ON CONFLICT (application_id) DO UPDATE SET status = 'PENDING', last_error = NULL, updated_at = now()
       RETURNING id`,
      [applicationId, issuedOn],
    );
    return row.id;
  }

  /** What the convention of an application says: the dossier, its holder and campaign, each financer's grant. */
  async conventionFacts(applicationId: string): Promise<{ row: ConventionFacts; grants: ConventionGrant[] }> {
    const [row] = await this.dataSource.query<ConventionFacts[]>(
      `SELECT a.reference, a.title, a.summary, a.start_date::text AS "startDate", a.end_date::text AS "endDate",
              a.total_cost_cents::text AS "totalCost", a.in_kind_cents::text AS "inKind", a.budget,
              a.contract_id AS "contractId", o.name AS holder,
              o.legal_form AS "legalForm", o.siret, o.rna, o.address, o.legal_representative AS "legalRepresentative",
              a.certification->>'signatoryName' AS "signatoryName", a.certification->>'signatoryRole' AS "signatoryRole",
              official_email(o.id) AS "contactEmail", c.year::text, c.rules::text AS rules,
              c.report_deadline::text AS "reportDeadline", c.copil_date::text AS "copilDate", a.indicators, c.deliberations,
              k.name AS "contractName",
              coalesce(k.signature_place, k.territory) AS "signaturePlace", t.label AS theme, s.label AS stake,
              (SELECT string_agg(q.name || ' (' || q.code || ')', ', ' ORDER BY q.code) FROM application_qpvs aq JOIN qpvs q ON q.code = aq.qpv_code
                WHERE aq.application_id = a.id) AS qpvs
         FROM grant_applications a
         JOIN organizations o ON o.id = a.organization_id
         JOIN campaigns c ON c.id = a.campaign_id
         JOIN contracts k ON k.id = a.contract_id
         JOIN themes t ON t.id = a.theme_id
         LEFT JOIN stakes s ON s.id = a.stake_id
        WHERE a.id = $1`,
      [applicationId],
    );
    const grants = await this.dataSource.query<ConventionGrant[]>(
      `SELECT p.name, p.code, p.signatory, d.granted_cents::text AS granted FROM decisions d JOIN partners p ON p.id = d.partner_id
        WHERE d.application_id = $1 AND d.granted_cents > 0 ORDER BY p.code`,
      [applicationId],
    );
    return { row, grants };
  }

  /** A page of a campaign's conventions, with their dossier and holder, and the total. */
  async listOfCampaign(
    campaignId: string,
    filters: { status?: string; limit: number; offset: number },
  ): Promise<{ rows: ConventionListRow[]; total: number }> {
    const parameters: unknown[] = [campaignId];
    const status = filters.status ? ` AND v.status = $${parameters.push(filters.status)}` : '';
    const where = `a.campaign_id = $1${status}`;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM conventions v JOIN grant_applications a ON a.id = v.application_id WHERE ${where}`,
      parameters,
    );
    const rows = await this.dataSource.query<ConventionListRow[]>(
      `SELECT a.id AS "applicationId", a.reference, a.title, o.name AS "holderName", v.number, v.status,
              v.generated_at AS "generatedAt", v.last_error AS "lastError"
         FROM conventions v JOIN grant_applications a ON a.id = v.application_id
         JOIN organizations o ON o.id = a.organization_id
        WHERE ${where}
        ORDER BY a.reference
        LIMIT $${parameters.push(filters.limit)} OFFSET $${parameters.push(filters.offset)}`,
      parameters,
    );
    return { rows, total };
  }
}

/** A convention in the city team's list. */
export interface ConventionListRow {
  applicationId: string;
  reference: string;
  title: string;
  holderName: string;
  number: string;
  status: string;
  generatedAt: Date | null;
  lastError: string | null;
}
