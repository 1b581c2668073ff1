import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { DecisionsService } from './decisions.service.js';
import { ProgrammingController } from './programming.controller.js';
import { ProgrammingService } from './programming.service.js';
import { ProgrammingRepository } from './programming.repository.js';

@Module({
  imports: [ApplicationsModule, CampaignsModule],
  controllers: [ProgrammingController],
  providers: [DecisionsService, ProgrammingService, ProgrammingRepository],
  exports: [ProgrammingService, DecisionsService],
})
export class ProgrammingModule {}
