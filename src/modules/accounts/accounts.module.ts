import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountsService } from './accounts.service.js';
import { AuthController, UsersController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';

@Module({
  controllers: [AuthController, UsersController],
  providers: [AccountsService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AccountsService],
})
export class AccountsModule {}
