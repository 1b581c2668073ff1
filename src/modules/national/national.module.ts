import { Module } from '@nestjs/common';
import { NationalController } from './national.controller.js';
import { NationalRepository } from './national.repository.js';
import { NationalService } from './national.service.js';

@Module({
  controllers: [NationalController],
  providers: [NationalService, NationalRepository],
  exports: [NationalService],
})
export class NationalModule {}
