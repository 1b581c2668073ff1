import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The objects jobs work on, by kind: outbox rows, conventions, campaigns (a reminder scan of one). */
export interface JobObjects {
  notificationIds: string[];
  conventionIds: string[];
  campaignIds: string[];
}

@Injectable()
export class JobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The contract each object belongs to, keyed `kind:id` (n: notification, c: convention, k: campaign). */
  async contractsOf(objects: JobObjects): Promise<Map<string, string | null>> {
    const rows = await this.dataSource.query<{ key: string; contract_id: string | null }[]>(
      `SELECT 'n:' || id AS key, contract_id FROM notifications WHERE id = ANY($1::uuid[])
       UNION ALL
       SELECT 'c:' || c.id, a.contract_id FROM conventions c JOIN grant_applications a ON a.id = c.application_id
        WHERE c.id = ANY($2::uuid[])
       UNION ALL
       SELECT 'k:' || id, contract_id FROM campaigns WHERE id = ANY($3::uuid[])`,
      [objects.notificationIds, objects.conventionIds, objects.campaignIds],
    );
    return new Map(rows.map((row) => [row.key, row.contract_id]));
  }
}
