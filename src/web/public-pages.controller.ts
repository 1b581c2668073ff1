import { Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OpenCallsService } from '../modules/campaigns/open-calls.service.js';
import { Pages, PublicPage, sendPage, type PageRequest } from './pages.js';

/** The pages anyone may read: the home page with the open calls, the accessibility statement. */
@Pages()
@PublicPage()
export class PublicPagesController {
  constructor(private readonly openCalls: OpenCallsService) {}

  @Get()
  async home(@Req() request: PageRequest, @Res() response: Response): Promise<void> {
    sendPage(request, response, 'public/home.njk', { calls: await this.openCalls.list() });
  }

  @Get('accessibilite')
  accessibility(@Req() request: PageRequest, @Res() response: Response): void {
    sendPage(request, response, 'public/accessibility.njk');
  }
}
