import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import nodemailer, { type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { conflict, notFound } from '../../common/application-error.js';
import type { AuthUser } from '../../common/auth.js';
import type { Page } from '../../common/pagination.dto.js';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { failedJobs } from '../../jobs/failures.js';
import { JOBS, MAIL_CONCURRENCY, QUEUES, type TypedQueue } from '../../jobs/queues.js';
import { NotificationEntity } from './notification.entity.js';
import { pendingInOutbox } from './outbox.repository.js';
import { pageLinkOf, renderEmail } from './templates.js';
import type { NotificationDto, NotificationQueryDto } from './dto/notification.dto.js';
import './notifications.errors.js'; // registers the codes thrown here

/** The subject a pending email will carry; a row its template cannot render shows none rather than failing the list. */
/** The relay job of one outbox row for one (re)send. */
const mailJobId = (row: { id: string; resendCount: number }) => `mail-${row.id}-${row.resendCount}`;

function pendingSubject(row: NotificationEntity): string | null {
  try {
    return renderEmail(row.type, row.payload).subject;
  } catch {
    return null;
  }
}

function toDto(row: NotificationEntity): NotificationDto {
  return {
    id: row.id,
    type: row.type,
    to: row.toAddress,
    subject: row.subject ?? pendingSubject(row),
    status: row.status,
    dedupeKey: row.dedupeKey,
    sentAt: row.sentAt?.toISOString() ?? null,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
  };
}

/** An SMTP answer in the 5xx range: the server refuses for good (nodemailer puts the code on the error). */
export const isPermanentSmtpFailure = (error: unknown): boolean => {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

@Injectable()
export class NotificationsService implements OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  private transport?: Transporter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.MAIL) private readonly mailQueue: TypedQueue<typeof QUEUES.MAIL>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Enqueues the relay of outbox rows `addToOutbox` has just written (never resent yet), after their
   * transaction committed. Redis being away is not an error here: the rows stay PENDING and the worker's
   * sweep enqueues them once it is back.
   */
  async dispatch(ids: string[], requestId?: string): Promise<void> {
    await this.enqueue(
      ids.map((id) => ({ id, resendCount: 0 })),
      requestId,
    );
  }

  /** One job per row, keyed by row and resend count so that a row is relayed once per (re)send. */
  private async enqueue(rows: { id: string; resendCount: number }[], requestId?: string): Promise<void> {
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000);
      await this.mailQueue
        .addBulk(
          chunk.map((row) => ({
            name: JOBS.SEND_MAIL,
            data: { notificationId: row.id, requestId },
            opts: { jobId: mailJobId(row) },
          })),
        )
        .catch((error: Error) =>
          this.logger.warn(`${chunk.length} email(s) left for the sweep: ${error.message}`),
        );
    }
  }

  private smtp(): Transporter {
    // Pooled: the mail worker's concurrent jobs reuse open SMTP sessions instead of one connection per email.
    this.transport ??= nodemailer.createTransport(
      { url: this.config.smtpUrl, pool: true, maxConnections: MAIL_CONCURRENCY },
      { from: this.config.mailFrom },
    );
    return this.transport;
  }

  /**
   * Sends one outbox row, once: the row is locked while it is sent and marked SENT in the same
   * transaction; a row already SENT (a retried or duplicated job) is skipped. The Message-ID derives
   * from the dedupe key, so that a crash between the SMTP answer and the commit cannot make a mail
   * client show the same email twice.
   */
  async send(notificationId: string): Promise<'SENT' | 'SKIPPED'> {
    let failure: Error | undefined;
    const outcome = await this.dataSource.transaction(async (em) => {
      const row = await em
        .getRepository(NotificationEntity)
        .findOne({ where: { id: notificationId }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.status !== 'PENDING') return 'SKIPPED' as const;
      const email = renderEmail(row.type, {
        pageLink: pageLinkOf(row.type, row.applicationId, this.config.publicUrl),
        ...row.payload,
      });
      try {
        await this.smtp().sendMail({
          from: this.config.mailFrom,
          to: row.toAddress,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: `<${createHash('sha256').update(row.dedupeKey).digest('hex').slice(0, 32)}@contrat-de-ville>`,
        });
      } catch (error) {
        failure = error as Error;
        // A 5xx answer is the server refusing this email for good (no such mailbox, rejected): retrying
        // cannot help, so the row is FAILED at once and listed for the city team to fix and resend.
        const permanent = isPermanentSmtpFailure(error);
        await em.update(
          NotificationEntity,
          { id: row.id },
          {
            attempts: row.attempts + 1,
            lastError: failure.message.slice(0, 2000),
            ...(permanent ? { status: 'FAILED' as const } : {}),
          },
        );
        if (permanent) failure = new UnrecoverableError(failure.message);
        return 'SKIPPED' as const;
      }
      await em.update(
        NotificationEntity,
        { id: row.id },
        {
          status: 'SENT',
          subject: email.subject,
          sentAt: new Date(),
          attempts: row.attempts + 1,
          lastError: null,
        },
      );
      return 'SENT' as const;
    });
    // After the attempt is recorded: BullMQ retries with backoff, unless the failure is permanent.
    if (failure) throw failure;
    return outcome;
  }

  /** After the last attempt: the row is FAILED and shows in GET /notifications until resent. */
  async markFailed(notificationId: string, reason: string): Promise<void> {
    await this.dataSource
      .getRepository(NotificationEntity)
      .update(
        { id: notificationId, status: 'PENDING' },
        { status: 'FAILED', lastError: reason.slice(0, 2000) },
      );
    this.logger.error(`Email ${notificationId} FAILED: ${reason}`);
  }

  /** Enqueues the rows still PENDING a little while after they were written (Redis was away, a job was lost). */
  async sweep(olderThanMs = 5_000): Promise<number> {
    const rows = await pendingInOutbox(this.dataSource.manager, olderThanMs);
    // A row whose job failed for good lost its FAILED mark: write it (the same job id would not be added again).
    const failed = await failedJobs(this.mailQueue, rows.map(mailJobId));
    for (const row of rows) {
      const reason = failed.get(mailJobId(row));
      if (reason) await this.markFailed(row.id, reason);
    }
    const pending = rows.filter((row) => !failed.has(mailJobId(row)));
    await this.enqueue(pending);
    return pending.length;
  }

  async list(user: AuthUser, query: NotificationQueryDto): Promise<Page<NotificationDto>> {
    const builder = this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.contract_id = :contractId', { contractId: user.contractId });
    if (query.status) builder.andWhere('n.status = :status', { status: query.status });
    if (query.type) builder.andWhere('n.type = :type', { type: query.type });
    if (query.applicationId)
      builder.andWhere('n.application_id = :applicationId', { applicationId: query.applicationId });
    const [rows, total] = await builder
      .orderBy('n.created_at', 'DESC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items: rows.map(toDto), total };
  }

  /** Puts a FAILED (or SENT) email back in the outbox and relays it again. */
  async resend(user: AuthUser, id: string): Promise<NotificationDto> {
    const repository = this.dataSource.getRepository(NotificationEntity);
    const row = await repository.findOne({ where: { id } });
    if (!row || row.contractId !== user.contractId) throw notFound('Notification');
    if (row.status === 'PENDING')
      throw conflict('NOTIFICATION_PENDING', 'Cet email est déjà en cours d’envoi.');
    const resendCount = row.resendCount + 1;
    await repository.update({ id }, { status: 'PENDING', attempts: 0, resendCount, lastError: null });
    await this.enqueue([{ id, resendCount }]);
    return toDto((await repository.findOneByOrFail({ id }))!);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
