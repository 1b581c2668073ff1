import { Module } from '@nestjs/common';
import { CampaignHooks } from './campaign-hooks.js';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignsService } from './campaigns.service.js';

@Module({
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignHooks],
  exports: [CampaignsService, CampaignHooks],
})
export class CampaignsModule {}
