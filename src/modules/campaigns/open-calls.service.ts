import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CampaignEntity } from './campaign.entity.js';

/** An open call as anyone may see it. */
export interface OpenCall {
  id: string;
  title: string;
  year: number;
  contractName: string;
  submissionDeadline: Date;
}

/** The calls open now, of every contract hosted, nearest deadline first: public (the web's home page). */
@Injectable()
export class OpenCallsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(): Promise<OpenCall[]> {
    const campaigns = await this.dataSource.getRepository(CampaignEntity).find({
      where: { status: 'OPEN' },
      relations: { contract: true },
      order: { submissionDeadline: 'ASC' },
      take: 100,
    });
    return campaigns.map((campaign) => ({
      id: campaign.id,
      title: campaign.title,
      year: campaign.year,
      contractName: campaign.contract.name,
      submissionDeadline: campaign.submissionDeadline,
    }));
  }
}
