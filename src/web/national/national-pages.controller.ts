import { Get, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../common/auth.js';
import { formatEuros } from '../../common/money.js';
import { parisDate } from '../../common/paris-time.js';
import { NationalService } from '../../modules/national/national.service.js';
import { barChartSvg } from '../bars.js';
import { Pages, sendPage, type PageRequest } from '../pages.js';

/**
 * The names of the codes the contracts share (the protocol's themes, the usual financers); a code a contract
 * made up is shown as it is.
 */
const THEME_NAMES: Record<string, string> = {
  EMP: 'Emploi',
  SEC: 'Prévention et sécurité',
  EDU: 'Éducation et parentalité',
  SOL: 'Solidarité et lien social',
  CDV: 'Cadre de vie et environnement',
  LOG: 'Logement',
};
const FINANCER_NAMES: Record<string, string> = {
  E: 'État',
  V: 'Villes',
  CAF: 'Caisses d’allocations familiales',
  CD: 'Départements',
  CR: 'Régions',
  AGG: 'Intercommunalités',
};

/** Sums of cells grouped by one of their codes, largest request first. */
function totalsBy<T extends { requestedCents: number; grantedCents: number; applications: number }>(
  cells: T[],
  key: (cell: T) => string,
) {
  const totals = new Map<
    string,
    { code: string; applications: number; requestedCents: number; grantedCents: number }
  >();
  for (const cell of cells) {
    const code = key(cell);
    const total = totals.get(code) ?? { code, applications: 0, requestedCents: 0, grantedCents: 0 };
    total.applications += cell.applications;
    total.requestedCents += cell.requestedCents;
    total.grantedCents += cell.grantedCents;
    totals.set(code, total);
  }
  return [...totals.values()].sort((a, b) => b.requestedCents - a.requestedCents);
}

/**
 * The national agency's page (web.md « National agency »): the year's figures of every contract hosted, by
 * theme and by financer, as bars with their tables. Sums only: no application or person is named.
 */
@Roles('NATIONAL')
@Pages('national')
export class NationalPagesController {
  constructor(private readonly national: NationalService) {}

  @Get()
  async summary(
    @Req() request: PageRequest,
    @Res() response: Response,
    @Query('annee') typed?: string,
  ): Promise<void> {
    const thisYear = Number(parisDate(new Date()).slice(0, 4));
    const year =
      /^\d{4}$/.test(typed ?? '') && Number(typed) >= 2000 && Number(typed) <= 2100
        ? Number(typed)
        : thisYear + 1;
    const summary = await this.national.summary(year);
    const byTheme = totalsBy(
      summary.byThemeAndFinancer,
      (cell) => THEME_NAMES[cell.themeCode] ?? cell.themeCode,
    );
    const byFinancer = totalsBy(
      summary.byThemeAndFinancer,
      (cell) => FINANCER_NAMES[cell.partnerCode] ?? cell.partnerCode,
    );
    const chart = (title: string, rows: { code: string; requestedCents: number; grantedCents: number }[]) =>
      barChartSvg({
        title,
        series: [
          { name: 'Demandé', className: 'cdv-chart__bar--requested' },
          { name: 'Accordé', className: 'cdv-chart__bar--granted' },
        ],
        rows: rows.map((row) => ({ label: row.code, values: [row.requestedCents, row.grantedCents] })),
        format: formatEuros,
      });
    sendPage(request, response, 'national/summary.njk', {
      year,
      years: [thisYear - 2, thisYear - 1, thisYear, thisYear + 1].map((value) => ({
        value: String(value),
        text: String(value),
      })),
      summary,
      byTheme,
      byFinancer,
      themeChart: chart('Montants demandés et accordés par thème', byTheme),
      financerChart: chart('Montants demandés et accordés par financeur', byFinancer),
    });
  }
}
