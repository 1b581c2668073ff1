import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth.js';
import { OpenCallsService } from '../modules/campaigns/open-calls.service.js';
import { renderPage } from './web-templates.js';

/** The pages anyone may read: the home page with the open calls, the accessibility statement. */
@ApiExcludeController()
@Controller()
export class PublicPagesController {
  constructor(private readonly openCalls: OpenCallsService) {}

  @Public()
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async home(@Res({ passthrough: true }) response: Response): Promise<string> {
    return renderPage('public/home.njk', {
      calls: await this.openCalls.list(),
      cspNonce: response.locals.cspNonce as string,
    });
  }

  @Public()
  @Get('accessibilite')
  @Header('content-type', 'text/html; charset=utf-8')
  accessibility(@Res({ passthrough: true }) response: Response): string {
    return renderPage('public/accessibility.njk', { cspNonce: response.locals.cspNonce as string });
  }
}
