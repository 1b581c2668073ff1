import { Module } from '@nestjs/common';
import { ReferentialController } from './referential.controller.js';
import { ReferentialService } from './referential.service.js';

@Module({
  controllers: [ReferentialController],
  providers: [ReferentialService],
  exports: [ReferentialService],
})
export class ReferentialModule {}
