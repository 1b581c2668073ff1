import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { EvaluationController, PaymentLedgerController, PaymentsController } from './payments.controller.js';
import { PaymentsService } from './payments.service.js';
import { EvaluationService } from './evaluation.service.js';
import { SignedCopyService } from './signed-copy.service.js';

/** After the COPIL: the convention's signatures, the payments per granting financer, the report's acceptance. */
@Module({
  imports: [AccessModule, NotificationsModule, ReportsModule],
  controllers: [PaymentsController, PaymentLedgerController, EvaluationController],
  providers: [PaymentsService, EvaluationService, SignedCopyService],
  exports: [PaymentsService, EvaluationService, SignedCopyService],
})
export class PaymentsModule {}
