/** An indicator an action promised, with what its accepted report says it achieved. */
export class EvaluationIndicatorDto {
  reference!: string;
  label!: string;
  unit!: string;
  targetValue!: number;
  /** Null until the action's report is accepted. */
  achievedValue!: number | null;
}

export class EvaluationMeasureDto {
  themeCode!: string;
  themeLabel!: string;
  measureId!: string | null;
  measureLabel!: string | null;
  fundedActions!: number;
  acceptedReports!: number;
  grantedCents!: number;
  /** Paid to the holders, less what they paid back. */
  paidCents!: number;
  /** Beneficiaries reached, from the accepted reports. */
  beneficiaries!: number;
  indicators!: EvaluationIndicatorDto[];
}

export class EvaluationQpvDto {
  qpvCode!: string;
  name!: string;
  /** Beneficiaries living there, from the accepted reports. */
  beneficiaries!: number;
}

export class EvaluationDto {
  campaignId!: string;
  byMeasure!: EvaluationMeasureDto[];
  byQpv!: EvaluationQpvDto[];
  totals!: {
    fundedActions: number;
    acceptedReports: number;
    grantedCents: number;
    paidCents: number;
    beneficiaries: number;
  };
}
