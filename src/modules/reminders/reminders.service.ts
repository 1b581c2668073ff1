import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../../common/auth.js';
import { frenchDate } from '../../common/french.js';
import { parisDate } from '../../common/paris-time.js';
import { JOBS, QUEUES, type ScanRemindersJob, type TypedQueue } from '../../jobs/queues.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { DAY, reminderWindows } from './reminder-windows.js';
import { RemindersRepository } from './reminders.repository.js';

/**
 * The reminder scan: one bulk write per kind into the outbox (`RemindersRepository`), each row keyed so that a second
 * scan adds nothing (drafts at J-7 and J-2, reviews pending 3 days before the review deadline, reports
 * due 30 days before the report deadline and overdue after it).
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger(RemindersService.name);

  constructor(
    private readonly repository: RemindersRepository,
    @InjectQueue(QUEUES.REMINDERS) private readonly queue: TypedQueue<typeof QUEUES.REMINDERS>,
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
    const campaigns = await this.repository.activeCampaigns(job.campaignId);
    // Each campaign's new rows are queued while the next campaign's are written: the database and Redis
    // work side by side (one enqueue at a time, in order). Rows are committed before they are queued, so a
    // crash between the two leaves them to the outbox sweep.
    let created = 0;
    let queued = Promise.resolve();
    for (const campaign of campaigns) {
      const ids: string[] = [];
      const windows = reminderWindows(campaign, at);
      if (windows.draftStage) {
        const daysLeft = Math.max(1, Math.ceil((campaign.submissionDeadline.getTime() - at.getTime()) / DAY));
        ids.push(
          ...(await this.repository.remindDrafts(campaign.id, {
            deadline: frenchDate(parisDate(campaign.submissionDeadline)),
            daysLeft: String(daysLeft),
            stage: windows.draftStage,
          })),
        );
      }
      if (windows.reviews)
        ids.push(
          ...(await this.repository.remindReviews(
            campaign.id,
            frenchDate(parisDate(campaign.reviewDeadline)),
          )),
        );
      if (windows.reports)
        ids.push(
          ...(await this.repository.remindReports(
            campaign.id,
            windows.reports,
            frenchDate(parisDate(campaign.reportDeadline)),
          )),
        );
      // Payments overdue (loi 2021-875: 60 days): the financer that owes them is reminded, once per payment.
      if (campaign.status === 'PROGRAMMED')
        ids.push(...(await this.repository.remindOverduePayments(campaign.id, parisDate(at), 60)));
      created += ids.length;
      if (ids.length) queued = queued.then(() => this.notifications.dispatch(ids));
    }
    await queued;
    this.logger.log(`Reminder scan over ${campaigns.length} campaign(s): ${created} new email(s)`);
    return created;
  }
}
