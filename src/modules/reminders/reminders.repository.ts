import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addSelectedToOutbox } from '../notifications/outbox.repository.js';

/** A campaign the scan looks at, with its deadlines. */
export interface ScannedCampaign {
  id: string;
  status: string;
  submissionDeadline: Date;
  reviewDeadline: Date;
  reportDeadline: Date;
}

/**
 * The reminder scan's statements: one INSERT … SELECT into the outbox per kind, each row keyed so that a
 * second scan adds nothing. The payloads are built here with the keys of `EmailPayloads`.
 */
@Injectable()
export class RemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  activeCampaigns(campaignId?: string): Promise<ScannedCampaign[]> {
    return this.dataSource.query<ScannedCampaign[]>(
      `SELECT id, status, submission_deadline AS "submissionDeadline", review_deadline AS "reviewDeadline",
              report_deadline AS "reportDeadline"
         FROM campaigns WHERE status IN ('OPEN', 'REVIEW', 'PROGRAMMED') ${campaignId ? 'AND id = $1' : ''}`,
      campaignId ? [campaignId] : [],
    );
  }

  /** Holders of drafts and returned applications, at J-7 or J-2 of the submission deadline. */
  remindDrafts(
    campaignId: string,
    values: { deadline: string; daysLeft: string; stage: string },
  ): Promise<string[]> {
    return addSelectedToOutbox(
      this.dataSource.manager,
      `SELECT 'REMINDER_DRAFT', official_email(o.id),
              jsonb_build_object('reference', a.reference, 'title', a.title, 'campaignTitle', c.title, 'deadline', $2::text, 'daysLeft', $3::text),
              'reminder:draft:' || $4::text || ':' || a.id, a.contract_id, a.id
         FROM grant_applications a JOIN organizations o ON o.id = a.organization_id JOIN campaigns c ON c.id = a.campaign_id
        WHERE a.campaign_id = $1 AND a.status IN ('DRAFT', 'RETURNED') AND official_email(o.id) IS NOT NULL`,
      [campaignId, values.deadline, values.daysLeft, values.stage],
    );
  }

  /** Each active reviewer of a partner whose final review is missing (and who declared no conflict). */
  remindReviews(campaignId: string, deadline: string): Promise<string[]> {
    return addSelectedToOutbox(
      this.dataSource.manager,
      `SELECT 'REMINDER_REVIEW', u.email,
              jsonb_build_object('reference', a.reference, 'title', a.title, 'partnerName', p.name, 'deadline', $2::text),
              'reminder:review:' || a.id || ':' || u.id, a.contract_id, a.id
         FROM grant_applications a
         JOIN application_requests r ON r.application_id = a.id
         JOIN partners p ON p.id = r.partner_id
         JOIN users u ON u.partner_id = r.partner_id AND u.role = 'FINANCER' AND u.disabled_at IS NULL
        WHERE a.campaign_id = $1 AND a.status = 'ELIGIBLE'
          AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.application_id = a.id AND v.partner_id = r.partner_id AND v.final)
          AND NOT EXISTS (SELECT 1 FROM conflict_declarations x WHERE x.application_id = a.id AND x.user_id = u.id)`,
      [campaignId, deadline],
    );
  }

  /** Holders of funded actions whose report is not submitted: due within 30 days, or overdue. */
  remindReports(campaignId: string, window: 'DUE' | 'OVERDUE', deadline: string): Promise<string[]> {
    const type = window === 'DUE' ? 'REMINDER_REPORT_DUE' : 'REMINDER_REPORT_OVERDUE';
    const key = window === 'DUE' ? 'report-due' : 'report-overdue';
    return addSelectedToOutbox(
      this.dataSource.manager,
      `SELECT $3::text, official_email(o.id),
              jsonb_build_object('reference', a.reference, 'title', a.title, 'deadline', $2::text),
              'reminder:' || $4::text || ':' || a.id, a.contract_id, a.id
         FROM grant_applications a JOIN organizations o ON o.id = a.organization_id
        WHERE a.campaign_id = $1 AND a.status = 'PROGRAMMED' AND official_email(o.id) IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM reports rp WHERE rp.application_id = a.id AND rp.status IN ('SUBMITTED', 'ACCEPTED'))`,
      [campaignId, deadline, type, key],
    );
  }

  /**
   * The active agents of each financer whose advance or balance has been due for more than `days` days on
   * `today` (loi 2021-875: subsidies are paid within 60 days), once per payment and agent.
   */
  remindOverduePayments(campaignId: string, today: string, days: number): Promise<string[]> {
    return addSelectedToOutbox(
      this.dataSource.manager,
      `SELECT 'REMINDER_PAYMENT_OVERDUE', u.email,
              jsonb_build_object('reference', a.reference, 'title', a.title, 'partnerName', pa.name,
                                 'kind', CASE p.kind WHEN 'ADVANCE' THEN 'L’avance' ELSE 'Le solde' END,
                                 'amount', replace(to_char(p.amount_cents / 100.0, 'FM999999999990.00'), '.', ',') || ' €',
                                 'dueOn', to_char(p.due_on, 'DD/MM/YYYY')),
              'reminder:payment-overdue:' || p.id || ':' || u.id, a.contract_id, a.id
         FROM payments p
         JOIN grant_applications a ON a.id = p.application_id
         JOIN partners pa ON pa.id = p.partner_id
         JOIN users u ON u.partner_id = p.partner_id AND u.role = 'FINANCER' AND u.disabled_at IS NULL
        WHERE a.campaign_id = $1 AND p.status = 'DUE' AND p.kind IN ('ADVANCE', 'BALANCE')
          AND p.due_on < $2::date - $3::int`,
      [campaignId, today, days],
    );
  }
}
