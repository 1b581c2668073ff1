import { Logger, Module, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AccountsModule } from '../modules/accounts/accounts.module.js';
import { ApplicationsModule } from '../modules/applications/applications.module.js';
import { AttachmentsModule } from '../modules/attachments/attachments.module.js';
import { CampaignsModule } from '../modules/campaigns/campaigns.module.js';
import { MembershipModule } from '../modules/membership/membership.module.js';
import { ReferentialModule } from '../modules/referential/referential.module.js';
import { AccountPagesController } from './account-pages.controller.js';
import { DossierPagesController } from './dossier-pages.controller.js';
import { SectionPagesController } from './section-pages.controller.js';
import { AttachmentPagesController, CsrfAfterUpload } from './attachment-pages.controller.js';
import { DossierViewService } from './dossier-view.service.js';
import { OrganizationPagesController } from './organization-pages.controller.js';
import { PageGuard } from './page.guard.js';
import { ReportPagesController } from './report-pages.controller.js';
import { ReviewPagesController } from './review-pages.controller.js';
import { FinancerPaymentPagesController } from './financer/payment-pages.controller.js';
import { PaymentPagesController } from './city-team/payment-pages.controller.js';
import { ReviewsModule } from '../modules/reviews/reviews.module.js';
import { ProgrammingModule } from '../modules/programming/programming.module.js';
import { ReportsModule } from '../modules/reports/reports.module.js';
import { ConventionsModule } from '../modules/conventions/conventions.module.js';
import { sendErrorPage } from './page-error.filter.js';
import { PublicPagesController } from './public-pages.controller.js';
import { CampaignPagesController } from './city-team/campaign-pages.controller.js';
import { ApplicationPagesController } from './city-team/application-pages.controller.js';
import { FollowUpPagesController } from './city-team/follow-up-pages.controller.js';
import { InstructionPageService } from './city-team/instruction-page.service.js';
import { ProgrammingPagesController } from './city-team/programming-pages.controller.js';
import { AdminPagesController } from './city-team/admin-pages.controller.js';
import { NationalPagesController } from './national/national-pages.controller.js';
import { NationalModule } from '../modules/national/national.module.js';
import { PaymentsModule } from '../modules/payments/payments.module.js';
import { NotificationsModule } from '../modules/notifications/notifications.module.js';
import { AuditModule } from '../modules/audit/audit.module.js';

/** The paths the pages answer, outside the API's prefix (`/api/v1`). */
export const PAGE_ROUTES = [
  '/',
  '/accessibilite',
  '/connexion',
  '/deconnexion',
  '/inscription',
  '/mot-de-passe-oublie',
  '/mot-de-passe-oublie/nouveau',
  '/compte/confirmer',
  '/compte/mot-de-passe',
  '/invitation',
  '/organisation/{*rest}',
  '/instruction',
  '/instruction/{*rest}',
  '/dossiers',
  '/dossiers/{*rest}',
  '/pilotage',
  '/pilotage/{*rest}',
  // The page only: `national/{*rest}` would also take the API's `national/summary` out of its prefix.
  '/national',
].map((path) => ({ path, method: RequestMethod.ALL }));

/** The web pages: server-rendered Nunjucks on GOV.UK Frontend, calling the same services as the API. */
@Module({
  imports: [
    PaymentsModule,
    NationalModule,
    AuditModule,
    NotificationsModule,
    ReportsModule,
    ReviewsModule,
    ProgrammingModule,
    ConventionsModule,

    AccountsModule,
    MembershipModule,
    CampaignsModule,
    ApplicationsModule,
    AttachmentsModule,
    ReferentialModule,
  ],
  controllers: [
    PublicPagesController,
    AccountPagesController,
    DossierPagesController,
    SectionPagesController,
    AttachmentPagesController,
    OrganizationPagesController,
    ReportPagesController,
    // Before the review pages: their `/instruction/:id` would take `/instruction/versements`.
    FinancerPaymentPagesController,
    ReviewPagesController,
    CampaignPagesController,
    ApplicationPagesController,
    FollowUpPagesController,
    PaymentPagesController,
    ProgrammingPagesController,
    AdminPagesController,
    NationalPagesController,
  ],
  providers: [PageGuard, CsrfAfterUpload, DossierViewService, InstructionPageService],
})
export class WebModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebModule.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * Once every route is registered: a path no page and no API route answers gets the French 404 page
   * (Nest's own not-found handler only covers the API's prefix).
   */
  onApplicationBootstrap(): void {
    // A context without HTTP (the CLI, `npm run seed:demo`) has no pages to answer.
    if (!this.adapterHost.httpAdapter) return;
    const express = this.adapterHost.httpAdapter.getInstance<{
      use: (handler: (request: Request, response: Response) => void) => void;
    }>();
    express.use((request, response) => sendErrorPage(request, response, 404, this.logger));
  }
}
