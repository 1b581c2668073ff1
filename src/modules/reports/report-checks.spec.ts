import { runReportChecks, type ReportCheckInput } from './report-checks.js';

const input = (overrides: Partial<ReportCheckInput> = {}): ReportCheckInput => ({
  budget: {
    charges: [{ account: '64', label: 'Salaires', amountCents: 20_000_00 }],
    products: [
      { account: '74', label: 'Ville', amountCents: 15_000_00, partnerCode: 'V' },
      { account: '75', label: 'Fonds propres', amountCents: 5_000_00 },
    ],
  },
  beneficiaries: { total: 40, qpvResidents: 30, women: 22, men: 18, byAge: { '16-25': 40 } },
  achievements: 'Quarante jeunes accompagnés, dont douze vers une formation qualifiante.',
  varianceExplanation: null,
  forecastChargesCents: 20_000_00,
  byQpv: { QN02604M: 18, QN02602M: 12 },
  plannedIndicators: [{ label: 'Jeunes accompagnés' }, { label: 'Sorties en formation' }],
  indicators: [
    { label: 'Jeunes accompagnés', achievedValue: 40 },
    { label: 'Sorties en formation', achievedValue: 12 },
  ],
  actualStartDate: '2027-03-01',
  actualEndDate: '2027-12-20',
  certification: { signatoryName: 'Camille Durand', signatoryRole: 'Présidente', certifiesAccuracy: true },
  ...overrides,
});
const rule = (results: ReturnType<typeof runReportChecks>, name: string) =>
  results.find((result) => result.rule === name)!;

describe('report checks', () => {
  it('passes a balanced report close to its forecast', () => {
    expect(runReportChecks(input()).filter((result) => result.status !== 'PASS')).toEqual([]);
  });

  it('blocks an unbalanced report', () => {
    const results = runReportChecks(
      input({ budget: { ...input().budget, products: [{ account: '75', label: 'x', amountCents: 1 }] } }),
    );
    expect(rule(results, 'REPORT_BUDGET_BALANCED')).toMatchObject({
      status: 'FAIL',
      code: 'REPORT_BUDGET_UNBALANCED',
    });
  });

  it('needs an explanation beyond 15 % of variance, not at exactly 15 %', () => {
    const at15 = {
      charges: [{ account: '64', label: 'x', amountCents: 23_000_00 }],
      products: [{ account: '75', label: 'x', amountCents: 23_000_00 }],
    };
    expect(rule(runReportChecks(input({ budget: at15 })), 'REPORT_VARIANCE').status).toBe('PASS');
    const over = {
      charges: [{ account: '64', label: 'x', amountCents: 16_999_99 }],
      products: [{ account: '75', label: 'x', amountCents: 16_999_99 }],
    };
    expect(rule(runReportChecks(input({ budget: over })), 'REPORT_VARIANCE')).toMatchObject({
      status: 'FAIL',
      blocking: true,
      code: 'REPORT_VARIANCE_UNEXPLAINED',
    });
    expect(
      rule(
        runReportChecks(input({ budget: over, varianceExplanation: 'Une session annulée faute de salle.' })),
        'REPORT_VARIANCE',
      ),
    ).toMatchObject({ status: 'WARN', blocking: false });
  });

  it('blocks inconsistent beneficiaries and missing achievements', () => {
    const results = runReportChecks(
      input({
        beneficiaries: { total: 10, qpvResidents: 12, women: 5, men: 5, byAge: {} },
        achievements: ' ',
      }),
    );
    expect(rule(results, 'REPORT_BENEFICIARIES')).toMatchObject({
      status: 'FAIL',
      code: 'BENEFICIARIES_INCONSISTENT',
    });
    expect(rule(results, 'REPORT_ACHIEVEMENTS')).toMatchObject({
      status: 'FAIL',
      code: 'ACHIEVEMENTS_MISSING',
    });
  });

  it('needs the value achieved of every indicator of the application, named in the message', () => {
    const results = runReportChecks(
      input({ indicators: [{ label: 'Jeunes accompagnés', achievedValue: 40 }] }),
    );
    expect(rule(results, 'REPORT_INDICATORS')).toMatchObject({
      status: 'FAIL',
      blocking: true,
      code: 'INDICATORS_ACHIEVED_MISSING',
      message: expect.stringContaining('« Sorties en formation »'),
    });
    expect(
      rule(runReportChecks(input({ plannedIndicators: [], indicators: [] })), 'REPORT_INDICATORS').status,
    ).toBe('PASS');
  });

  it('needs the actual dates and the attestation', () => {
    expect(rule(runReportChecks(input({ actualEndDate: null })), 'REPORT_ACTUAL_DATES')).toMatchObject({
      status: 'FAIL',
      code: 'ACTUAL_DATES_MISSING',
      field: 'actualEndDate',
    });
    expect(rule(runReportChecks(input({ certification: null })), 'REPORT_CERTIFICATION')).toMatchObject({
      status: 'FAIL',
      code: 'CERTIFICATION_REQUIRED',
    });
  });

  it('needs the QPV residents spread by quarter, and warns when the spread does not add up', () => {
    expect(rule(runReportChecks(input({ byQpv: {} })), 'REPORT_BY_QPV')).toMatchObject({
      status: 'FAIL',
      code: 'BENEFICIARIES_BY_QPV_MISSING',
    });
    expect(rule(runReportChecks(input({ byQpv: { QN02604M: 20 } })), 'REPORT_BY_QPV')).toMatchObject({
      status: 'WARN',
      code: 'BENEFICIARIES_BY_QPV_PARTIAL',
      message: expect.stringContaining('20 personnes pour 30 habitants'),
    });
    const none = { total: 10, qpvResidents: 0, women: 5, men: 5, byAge: {} };
    expect(rule(runReportChecks(input({ beneficiaries: none, byQpv: {} })), 'REPORT_BY_QPV').status).toBe(
      'PASS',
    );
  });
});
