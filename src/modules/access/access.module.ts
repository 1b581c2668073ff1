import { Global, Module } from '@nestjs/common';
import { AccessRepository } from './access.repository.js';
import { AccessService } from './access.service.js';

/** The one access policy, available to every feature module (it depends on none of them). */
@Global()
@Module({ providers: [AccessRepository, AccessService], exports: [AccessService] })
export class AccessModule {}
