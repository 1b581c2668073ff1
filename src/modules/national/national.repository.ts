import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { COUNTED_STATUSES } from '../programming/programming.repository.js';

/**
 * Every contract's counted applications of a year, theme × financer, in one statement; the totals beside
 * (an application asking several financers is counted once). The bench times the route beside this
 * repository's call.
 */
const NATIONAL_SUMMARY_SQL = `WITH apps AS (
         SELECT a.id, a.contract_id, t.code AS theme_code FROM grant_applications a
           JOIN campaigns c ON c.id = a.campaign_id JOIN themes t ON t.id = a.theme_id
          WHERE c.year = $1 AND a.status IN ${COUNTED_STATUSES}),
       req AS (
         SELECT apps.theme_code, p.code AS partner_code, count(*) AS applications, sum(r.requested_cents) AS requested
           FROM application_requests r JOIN apps ON apps.id = r.application_id JOIN partners p ON p.id = r.partner_id
          GROUP BY 1, 2),
       gra AS (
         SELECT apps.theme_code, p.code AS partner_code, count(*) FILTER (WHERE d.granted_cents > 0) AS funded,
                sum(d.granted_cents) AS granted
           FROM decisions d JOIN apps ON apps.id = d.application_id JOIN partners p ON p.id = d.partner_id
          GROUP BY 1, 2),
       cells AS (
         SELECT theme_code AS "themeCode", partner_code AS "partnerCode", coalesce(req.applications, 0)::int AS applications,
                coalesce(req.requested, 0)::text AS requested, coalesce(gra.funded, 0)::int AS funded,
                coalesce(gra.granted, 0)::text AS granted
           FROM req FULL JOIN gra USING (theme_code, partner_code))
  SELECT (SELECT count(*) FROM apps)::int AS applications,
         (SELECT count(DISTINCT contract_id) FROM apps)::int AS contracts,
         coalesce((SELECT json_agg(cells ORDER BY "partnerCode", "themeCode") FROM cells), '[]') AS cells`;

export interface SummaryRow {
  applications: number;
  contracts: number;
  cells: {
    themeCode: string;
    partnerCode: string;
    applications: number;
    requested: string;
    funded: number;
    granted: string;
  }[];
}

@Injectable()
export class NationalRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async summary(year: number): Promise<SummaryRow> {
    const [row] = await this.dataSource.query<SummaryRow[]>(NATIONAL_SUMMARY_SQL, [year]);
    return row;
  }
}
