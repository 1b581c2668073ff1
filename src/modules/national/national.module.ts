import { Module } from '@nestjs/common';
import { NationalController } from './national.controller.js';
import { NationalService } from './national.service.js';

@Module({
  controllers: [NationalController],
  providers: [NationalService],
})
export class NationalModule {}
