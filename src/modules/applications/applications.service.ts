import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth.js';
import type { Page } from '../../common/pagination.dto.js';
import type { CheckResult } from '../checks/checks.js';
import { AccessService } from '../access/access.service.js';
import { checksFrom } from './application-checks.js';
import { EDITABLE_STATUSES } from './application-status.js';
import { ApplicationsRepository } from './applications.repository.js';
import type { ApplicationDto, ApplicationQueryDto, ApplicationSummaryDto } from './dto/application.dto.js';

/** Reading applications: the dossier's view, the lists, the checks as they stand. */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly repository: ApplicationsRepository,
    private readonly access: AccessService,
  ) {}

  /**
   * The application as the API shows it, in one query (it is also the answer to every write, so it is hot):
   * the view built as JSON by the database, with the reader's relations to it for the policy and what the
   * live checks need beside it.
   */
  async get(user: AuthUser, id: string): Promise<ApplicationDto> {
    const row = await this.repository.view(user, id);
    this.access.check(user, 'application:read', row);
    const view = row!.view;
    view.requests.sort((a, b) => a.partnerCode.localeCompare(b.partnerCode));
    if (EDITABLE_STATUSES.includes(view.status) || !view.checks) {
      view.checks = checksFrom(view, {
        ...row!,
        themeCode: view.themeCode,
        qpvCodes: view.qpvCodes,
        attachmentKinds: [...new Set(view.attachments.map((attachment) => attachment.kind))],
      });
    }
    return view;
  }

  async list(user: AuthUser, query: ApplicationQueryDto): Promise<Page<ApplicationSummaryDto>> {
    const parameters: unknown[] = [];
    const filter = this.access.listFilter(user, 'application:read', 'a', parameters);
    const { rows, total } = await this.repository.list(filter, parameters, query);
    return {
      total,
      items: rows.map((row) => ({
        id: row.id,
        reference: row.reference,
        status: row.status,
        campaignId: row.campaignId,
        organizationId: row.organizationId,
        holderName: row.holderName,
        title: row.title,
        themeCode: row.themeCode,
        qpvCodes: row.qpvCodes,
        totalCostCents: row.totalCostCents,
        requestedCents: row.requestedCents,
        submittedAt: row.submittedAt?.toISOString() ?? null,
        updatedAt: row.updatedAt.toISOString(),
      })),
    };
  }

  /** Per campaign named, how many of its applications the caller may see are in each status. */
  async statusCounts(user: AuthUser, campaignIds: string[]): Promise<Map<string, Record<string, number>>> {
    const parameters: unknown[] = [];
    const filter = this.access.listFilter(user, 'application:read', 'a', parameters);
    const rows = campaignIds.length
      ? await this.repository.statusCounts(filter, parameters, campaignIds)
      : [];
    const counts = new Map<string, Record<string, number>>(campaignIds.map((id) => [id, {}]));
    for (const row of rows) counts.get(row.campaignId)![row.status] = row.count;
    return counts;
  }

  /** The checks as they stand, from the stored application row and what its rules read around it. */
  async checks(user: AuthUser, id: string): Promise<{ items: CheckResult[]; total: number }> {
    await this.access.require(user, 'application:read', { applicationId: id });
    const app = (await this.repository.findById(id))!;
    const items = checksFrom(app, await this.repository.checkFacts(id));
    return { items, total: items.length };
  }
}
