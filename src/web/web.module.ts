import { Logger, Module, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { CampaignsModule } from '../modules/campaigns/campaigns.module.js';
import { sendErrorPage } from './page-error.filter.js';
import { PublicPagesController } from './public-pages.controller.js';

/** The routes the pages answer outside the API's prefix (`/api/v1`). */
export const PAGE_ROUTES = [
  { path: '/', method: RequestMethod.GET },
  { path: '/accessibilite', method: RequestMethod.GET },
];

/** The web pages: server-rendered Nunjucks on GOV.UK Frontend, calling the same services as the API. */
@Module({
  imports: [CampaignsModule],
  controllers: [PublicPagesController],
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
