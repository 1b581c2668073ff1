import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ThemeFinancerRowDto {
  themeCode!: string | null;
  partnerCode!: string;
  /** The financer's envelope for the theme (for the all-themes row, its all-themes envelope). */
  envelopeCents!: number;
  requestedCents!: number;
  proposedCents!: number;
  grantedCents!: number;
  /** Of the granted amount: drawn from this theme's envelope, and beyond it from the all-themes one. */
  drawnFromThemeCents!: number;
  drawnFromAllThemesCents!: number;
  remainingCents!: number;
}

export class QpvRowDto {
  qpvCode!: string;
  name!: string;
  applications!: number;
  fundedActions!: number;
  requestedCents!: number;
  grantedCents!: number;
}

export class GenderMarkerShareDto {
  /** 0, 1, 2, or null where the application gave none. */
  marker!: number | null;
  actions!: number;
  grantedCents!: number;
  sharePercent!: number;
}

export class PrioritiesDto {
  genderMarkers!: GenderMarkerShareDto[];
  fundedActions!: number;
  actionsWithYouthTarget!: number;
  youthTargetSharePercent!: number;
  actionsWithoutGenderBreakdown!: number;
}

export class CoFinancingDto {
  partnerCode!: string;
  grantedCents!: number;
  /** Granted to actions that other financers fund too. */
  coFinancedCents!: number;
  coFinancingRatePercent!: number;
}

export class ReportsStatusDto {
  fundedActions!: number;
  submitted!: number;
  inProgress!: number;
  missing!: number;
}

/** A beneficiary to whom a financer grants more than 23 000 € in the year: convention and publication mandatory. */
export class AboveThresholdDto {
  organizationId!: string;
  holderName!: string;
  partnerCode!: string;
  /** What this financer grants this beneficiary across the contract's campaigns of the year. */
  yearlyGrantedCents!: number;
}

export class ProgrammingDto {
  campaignId!: string;
  status!: string;
  byThemeAndFinancer!: ThemeFinancerRowDto[];
  byQpv!: QpvRowDto[];
  priorities!: PrioritiesDto;
  coFinancing!: CoFinancingDto[];
  /** Where the end-of-action reports stand. */
  reports!: ReportsStatusDto;
  /** Loi 2000-321 art. 10, décret 2001-495: each beneficiary × financer above 23 000 € in the year. */
  aboveConventionThreshold!: AboveThresholdDto[];
  totals!: { requestedCents: number; proposedCents: number; grantedCents: number; envelopeCents: number };
}

export class OpenDataQueryDto {
  /** The attributor whose grants are published (its SIRET must be set). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  partnerCode!: string;
}
