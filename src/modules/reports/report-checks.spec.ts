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
});
