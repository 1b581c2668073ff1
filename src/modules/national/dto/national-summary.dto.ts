import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class NationalSummaryQueryDto {
  /** The year of the calls for projects (campaigns) summed up. */
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;
}

/** One theme × financer cell, summed over every contract (themes and partners by their code). */
export class NationalCellDto {
  themeCode!: string;
  partnerCode!: string;
  /** Counted applications asking this financer for money under this theme. */
  applications!: number;
  requestedCents!: number;
  /** Of them, those this financer granted money to. */
  fundedApplications!: number;
  grantedCents!: number;
}

export class NationalSummaryDto {
  year!: number;
  /** Contracts with at least one counted application this year. */
  contracts!: number;
  /**
   * Applications counted: submitted, eligible, programmed or rejected (drafts, returns awaiting completion,
   * ineligible and withdrawn applications are left out).
   */
  applications!: number;
  requestedCents!: number;
  grantedCents!: number;
  byThemeAndFinancer!: NationalCellDto[];
}
