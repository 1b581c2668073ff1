import { Injectable } from '@nestjs/common';
import { centsFromSql, sumCents } from '../../common/money.js';
import { NationalRepository } from './national.repository.js';
import type { NationalCellDto, NationalSummaryDto } from './dto/national-summary.dto.js';

@Injectable()
export class NationalService {
  constructor(private readonly repository: NationalRepository) {}

  async summary(year: number): Promise<NationalSummaryDto> {
    const row = await this.repository.summary(year);
    const cells: NationalCellDto[] = row.cells.map((cell) => ({
      themeCode: cell.themeCode,
      partnerCode: cell.partnerCode,
      applications: cell.applications,
      requestedCents: centsFromSql(cell.requested),
      fundedApplications: cell.funded,
      grantedCents: centsFromSql(cell.granted),
    }));
    return {
      year,
      contracts: row.contracts,
      applications: row.applications,
      requestedCents: sumCents(cells.map((cell) => cell.requestedCents)),
      grantedCents: sumCents(cells.map((cell) => cell.grantedCents)),
      byThemeAndFinancer: cells,
    };
  }
}
