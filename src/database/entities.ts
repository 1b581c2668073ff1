import { ContractEntity } from '../modules/referential/contract.entity.js';
import { PartnerEntity } from '../modules/referential/partner.entity.js';
import { ThemeEntity } from '../modules/referential/theme.entity.js';
import { StakeEntity } from '../modules/referential/stake.entity.js';
import { MeasureEntity } from '../modules/referential/measure.entity.js';
import { MeasurePartnerEntity } from '../modules/referential/measure-partner.entity.js';
import { TransversalPriorityEntity } from '../modules/referential/transversal-priority.entity.js';
import { QpvEntity } from '../modules/referential/qpv.entity.js';
import { OrganizationEntity } from '../modules/accounts/organization.entity.js';
import { UserEntity } from '../modules/accounts/user.entity.js';
import { AuthSessionEntity } from '../modules/accounts/auth-session.entity.js';
import { AccountTokenEntity } from '../modules/accounts/account-token.entity.js';
import { JoinRequestEntity } from '../modules/accounts/join-request.entity.js';
import { CampaignEntity } from '../modules/campaigns/campaign.entity.js';
import { EnvelopeEntity } from '../modules/campaigns/envelope.entity.js';
import { CampaignTransitionEntity } from '../modules/campaigns/campaign-transition.entity.js';
import { GrantApplicationEntity } from '../modules/applications/application.entity.js';
import { ApplicationQpvEntity } from '../modules/applications/application-qpv.entity.js';
import { ApplicationRequestEntity } from '../modules/applications/application-request.entity.js';
import { ApplicationTransitionEntity } from '../modules/applications/application-transition.entity.js';
import { ReferenceCounterEntity } from '../modules/applications/reference-counter.entity.js';
import { AttachmentEntity } from '../modules/attachments/attachment.entity.js';
import { AttachmentFileEntity } from '../modules/attachments/attachment-file.entity.js';
import { ReviewEntity } from '../modules/reviews/review.entity.js';
import { ConflictDeclarationEntity } from '../modules/reviews/conflict-declaration.entity.js';
import { DecisionEntity } from '../modules/programming/decision.entity.js';
import { DecisionChangeEntity } from '../modules/programming/decision-change.entity.js';
import { NotificationEntity } from '../modules/notifications/notification.entity.js';
import { ConventionEntity } from '../modules/conventions/convention.entity.js';
import { ReportEntity } from '../modules/reports/report.entity.js';
import { ConventionSignatureEntity } from '../modules/payments/convention-signature.entity.js';
import { PaymentEntity } from '../modules/payments/payment.entity.js';
import { AuditEventEntity } from '../modules/audit/audit-event.entity.js';

/** Every entity, listed once: the app, the migration CLI and the tests load the same set. */
export const ENTITIES = [
  ContractEntity,
  PartnerEntity,
  ThemeEntity,
  StakeEntity,
  MeasureEntity,
  MeasurePartnerEntity,
  TransversalPriorityEntity,
  QpvEntity,
  OrganizationEntity,
  UserEntity,
  AuthSessionEntity,
  AccountTokenEntity,
  JoinRequestEntity,
  CampaignEntity,
  EnvelopeEntity,
  CampaignTransitionEntity,
  GrantApplicationEntity,
  ApplicationQpvEntity,
  ApplicationRequestEntity,
  ApplicationTransitionEntity,
  ReferenceCounterEntity,
  AttachmentEntity,
  AttachmentFileEntity,
  ReviewEntity,
  ConflictDeclarationEntity,
  DecisionEntity,
  DecisionChangeEntity,
  NotificationEntity,
  ConventionEntity,
  ReportEntity,
  ConventionSignatureEntity,
  PaymentEntity,
  AuditEventEntity,
];
