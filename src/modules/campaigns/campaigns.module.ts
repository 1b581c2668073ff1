import { Module } from '@nestjs/common';
import { CampaignHooks } from './campaign-hooks.js';
import { CampaignsController } from './campaigns.controller.js';
import { OpenCallsService } from './open-calls.service.js';
import { CampaignsService } from './campaigns.service.js';

@Module({
  controllers: [CampaignsController],
  providers: [OpenCallsService, CampaignsService, CampaignHooks],
  exports: [CampaignsService, CampaignHooks, OpenCallsService],
})
export class CampaignsModule {}
