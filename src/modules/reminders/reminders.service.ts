import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth.js';
import { frenchDate } from '../../common/french.js';
import { parisDate } from '../../common/paris-time.js';
import { JOBS, QUEUES, type ScanRemindersJob } from '../../jobs/queues.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';

const DAY = 24 * 3600 * 1000;

/** Which reminder windows are open at an instant, for a campaign's deadlines. Pure. */
export function reminderWindows(
  campaign: { status: string; submissionDeadline: Date; reviewDeadline: Date; reportDeadline: Date },
  at: Date,
): { draftStage?: 'J-7' | 'J-2'; reviews: boolean; reports?: 'DUE' | 'OVERDUE' } {
  const t = at.getTime();
  const submission = campaign.submissionDeadline.getTime();
  const review = campaign.reviewDeadline.getTime();
  const report = campaign.reportDeadline.getTime();
  return {
    draftStage:
      campaign.status === 'OPEN' && t < submission && t >= submission - 7 * DAY
        ? t >= submission - 2 * DAY
          ? 'J-2'
          : 'J-7'
        : undefined,
    reviews: campaign.status === 'REVIEW' && t < review && t >= review - 3 * DAY,
    reports:
      campaign.status === 'PROGRAMMED'
        ? t >= report
          ? 'OVERDUE'
          : t >= report - 30 * DAY
            ? 'DUE'
            : undefined
        : undefined,
  };
}

/**
 * The reminder scan: one INSERT … SELECT per kind into the outbox, each row keyed so that a second
 * scan adds nothing (drafts at J-7 and J-2, reviews pending 3 days before the review deadline, reports
 * due 30 days before the report deadline and overdue after it).
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger(RemindersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.REMINDERS) private readonly queue: Queue<ScanRemindersJob>,
    private readonly notifications: NotificationsService,
    private readonly campaigns: CampaignsService,
  ) {}

  async runNow(user: AuthUser, campaignId: string): Promise<{ jobId: string }> {
    await this.campaigns.findVisible(user, campaignId);
    const jobId = `reminders-${campaignId}-${Date.now()}`;
    await this.queue.add(JOBS.SCAN_REMINDERS, { campaignId }, { jobId });
    return { jobId };
  }

  async scan(job: ScanRemindersJob): Promise<number> {
    const at = job.at ? new Date(job.at) : new Date();
    const campaigns: {
      id: string;
      status: string;
      submission_deadline: Date;
      review_deadline: Date;
      report_deadline: Date;
    }[] = await this.dataSource.query(
      `SELECT id, status, submission_deadline, review_deadline, report_deadline FROM campaigns
          WHERE status IN ('OPEN', 'REVIEW', 'PROGRAMMED') ${job.campaignId ? 'AND id = $1' : ''}`,
      job.campaignId ? [job.campaignId] : [],
    );
    // Each campaign's new rows are queued while the next campaign's are written: the database and Redis
    // work side by side (one enqueue at a time, in order). Rows are committed before they are queued, so a
    // crash between the two leaves them to the outbox sweep.
    let created = 0;
    let queued = Promise.resolve();
    for (const campaign of campaigns) {
      const ids: string[] = [];
      const windows = reminderWindows(
        {
          status: campaign.status,
          submissionDeadline: campaign.submission_deadline,
          reviewDeadline: campaign.review_deadline,
          reportDeadline: campaign.report_deadline,
        },
        at,
      );
      if (windows.draftStage) {
        const daysLeft = String(
          Math.max(1, Math.ceil((campaign.submission_deadline.getTime() - at.getTime()) / DAY)),
        );
        ids.push(
          ...(await this.insert(
            `SELECT 'REMINDER_DRAFT', o.contact_email,
                    jsonb_build_object('reference', a.reference, 'title', a.title, 'campaignTitle', c.title, 'deadline', $2::text, 'daysLeft', $3::text),
                    'reminder:draft:' || $4::text || ':' || a.id, a.contract_id, a.id
               FROM grant_applications a JOIN organizations o ON o.id = a.organization_id JOIN campaigns c ON c.id = a.campaign_id
              WHERE a.campaign_id = $1 AND a.status IN ('DRAFT', 'RETURNED')`,
            [campaign.id, frenchDate(parisDate(campaign.submission_deadline)), daysLeft, windows.draftStage],
          )),
        );
      }
      if (windows.reviews) {
        ids.push(
          ...(await this.insert(
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
            [campaign.id, frenchDate(parisDate(campaign.review_deadline))],
          )),
        );
      }
      if (windows.reports) {
        const type = windows.reports === 'DUE' ? 'REMINDER_REPORT_DUE' : 'REMINDER_REPORT_OVERDUE';
        const key = windows.reports === 'DUE' ? 'report-due' : 'report-overdue';
        ids.push(
          ...(await this.insert(
            `SELECT '${type}', o.contact_email,
                    jsonb_build_object('reference', a.reference, 'title', a.title, 'deadline', $2::text),
                    'reminder:${key}:' || a.id, a.contract_id, a.id
               FROM grant_applications a JOIN organizations o ON o.id = a.organization_id
              WHERE a.campaign_id = $1 AND a.status = 'PROGRAMMED'
                AND NOT EXISTS (SELECT 1 FROM reports rp WHERE rp.application_id = a.id AND rp.status = 'SUBMITTED')`,
            [campaign.id, frenchDate(parisDate(campaign.report_deadline))],
          )),
        );
      }
      created += ids.length;
      if (ids.length) queued = queued.then(() => this.notifications.dispatch(ids));
    }
    await queued;
    this.logger.log(`Reminder scan over ${campaigns.length} campaign(s): ${created} new email(s)`);
    return created;
  }

  private async insert(select: string, parameters: unknown[]): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO notifications (type, to_address, payload, dedupe_key, contract_id, application_id)
       ${select}
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      parameters,
    );
    return rows.map((row) => row.id);
  }
}
