import { Module, OnModuleInit } from '@nestjs/common';
import { parisDate } from '../../common/paris-time.js';
import { CampaignHooks } from '../campaigns/campaign-hooks.js';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { SweepHooks } from '../notifications/sweep-hooks.js';
import { ConventionsController } from './conventions.controller.js';
import { ConventionsService } from './conventions.service.js';
import { ConventionsRepository, createConventions } from './conventions.repository.js';

@Module({
  imports: [NotificationsModule, CampaignsModule],
  controllers: [ConventionsController],
  providers: [ConventionsService, ConventionsRepository],
  exports: [ConventionsService],
})
export class ConventionsModule implements OnModuleInit {
  constructor(
    private readonly conventions: ConventionsService,
    private readonly campaignHooks: CampaignHooks,
    private readonly sweepHooks: SweepHooks,
  ) {}

  /** Closing a programming creates its conventions; the periodic sweep re-enqueues those left pending. */
  onModuleInit(): void {
    this.campaignHooks.onProgrammingClosed(async (em, campaignId) => {
      const ids = await createConventions(em, campaignId, parisDate(new Date()));
      return () => this.conventions.dispatch(ids);
    });
    this.sweepHooks.register('conventions', () => this.conventions.sweep());
  }
}
