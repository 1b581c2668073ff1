import {
  CheckInput,
  CheckResult,
  DEFAULT_CHECK_RULES,
  blockingFailures,
  requestsByPartner,
  runChecks,
} from './checks.js';

/** A complete, eligible application: every rule passes. Tests change one thing at a time. */
function validInput(): CheckInput {
  return {
    themeCode: 'EMP',
    stakeId: 'stake-1',
    title: 'Chantier d’insertion au centre ancien',
    summary: 'Un chantier éducatif pour 12 jeunes',
    objectives: 'Remobiliser des jeunes sans emploi',
    description: 'Six mois de chantier encadré',
    location: 'Centre historique, Montélimar',
    startDate: '2027-03-01',
    endDate: '2027-12-31',
    qpvCodes: ['QN02604M'],
    indicators: [{ label: 'Jeunes accompagnés', unit: 'personnes', targetValue: 12 }],
    partnerNames: { E: 'État', V: 'Ville de Montélimar', CAF: 'CAF de la Drôme' },
    beneficiaries: { total: 20, qpvResidents: 15, women: 9, men: 11, byAge: { '16-25': 20 } },
    priorities: {
      genderEquality: {
        marker: 1,
        measures: 'Recrutement paritaire et horaires compatibles avec la garde d’enfants',
      },
      youth: { measures: 'Action destinée aux 16-25 ans' },
      antiDiscrimination: {
        measures: 'Orientation par la Mission locale sans condition de diplôme ni d’adresse',
      },
    },
    budget: {
      charges: [
        { account: '64', label: 'Encadrant technique', amountCents: 18_000_00 },
        { account: '60', label: 'Matériaux', amountCents: 2_000_00 },
      ],
      products: [
        { account: '74', label: 'État politique de la ville', amountCents: 8_000_00, partnerCode: 'E' },
        { account: '74', label: 'Ville', amountCents: 7_000_00, partnerCode: 'V' },
        { account: '75', label: 'Fonds propres', amountCents: 5_000_00 },
      ],
    },
    campaignFinancerCodes: ['E', 'V', 'CAF', 'CD'],
    attachmentKinds: ['STATUTES', 'BANK_DETAILS', 'ACCOUNTS', 'ACTIVITY_REPORT'],
    campaignYear: 2027,
  };
}

const find = (results: CheckResult[], rule: string): CheckResult => {
  const result = results.find((r) => r.rule === rule);
  if (!result) throw new Error(`no result for ${rule}`);
  return result;
};
const run = (change: (input: CheckInput) => void, rules = DEFAULT_CHECK_RULES): CheckResult[] => {
  const input = validInput();
  change(input);
  return runChecks(input, rules);
};

describe('checks', () => {
  it('passes every rule on a complete, eligible application', () => {
    const results = runChecks(validInput());
    expect(results.filter((r) => r.status !== 'PASS')).toEqual([]);
    expect(blockingFailures(results)).toEqual([]);
    expect(results.every((r) => r.message.length > 0)).toBe(true);
  });

  describe('completeness', () => {
    it('lists every missing rubric and blocks', () => {
      const result = find(
        run((i) => {
          i.summary = ' ';
          i.budget = null;
          i.startDate = null;
        }),
        'COMPLETENESS',
      );
      expect(result).toMatchObject({ status: 'FAIL', blocking: true, code: 'APPLICATION_INCOMPLETE' });
      expect(result.message).toBe('Rubriques à compléter : résumé, dates de l’action, budget.');
    });
  });

  describe('budget', () => {
    it('blocks an unbalanced budget, off by one cent, and says by how much', () => {
      const result = find(
        run((i) => {
          i.budget!.products[2].amountCents -= 1;
        }),
        'BUDGET_BALANCED',
      );
      expect(result).toMatchObject({
        status: 'FAIL',
        blocking: true,
        code: 'BUDGET_UNBALANCED',
        field: 'budget',
      });
      expect(result.message).toContain('il manque 0,01\u00a0€');
    });

    it('balances to the cent with amounts floats would round', () => {
      const results = run((i) => {
        i.budget = {
          charges: [
            { account: '60', label: 'a', amountCents: 10 },
            { account: '61', label: 'b', amountCents: 20 },
          ],
          products: [{ account: '74', label: 'E', amountCents: 30, partnerCode: 'E' }],
        };
      });
      expect(find(results, 'BUDGET_BALANCED').status).toBe('PASS');
    });

    it('blocks an empty budget', () => {
      for (const budget of [null, { charges: [], products: [] }]) {
        expect(
          find(
            run((i) => (i.budget = budget)),
            'BUDGET_BALANCED',
          ),
        ).toMatchObject({ status: 'FAIL', code: 'BUDGET_EMPTY' });
      }
    });

    it('blocks an application that asks no financer for money', () => {
      const result = find(
        run((i) => {
          i.budget!.products = [{ account: '75', label: 'Fonds propres', amountCents: 20_000_00 }];
        }),
        'FINANCER_REQUESTED',
      );
      expect(result).toMatchObject({ status: 'FAIL', code: 'NO_FINANCER_REQUESTED' });
    });

    it('blocks a request to a partner that puts no money in the campaign', () => {
      const result = find(
        run((i) => {
          i.budget!.products[1].partnerCode = 'CR';
        }),
        'FINANCERS_OF_CAMPAIGN',
      );
      expect(result).toMatchObject({ status: 'FAIL', blocking: true, code: 'FINANCER_NOT_IN_CAMPAIGN' });
      expect(result.message).toContain('CR');
    });

    it('blocks one financer asked for more than 80 % of the cost, and accepts exactly 80 %', () => {
      const over = run((i) => {
        i.budget!.products = [
          { account: '74', label: 'E', amountCents: 16_000_01, partnerCode: 'E' },
          { account: '75', label: 'Fonds propres', amountCents: 3_999_99 },
        ];
      });
      expect(find(over, 'SINGLE_FINANCER_SHARE')).toMatchObject({
        status: 'FAIL',
        code: 'SINGLE_FINANCER_SHARE_EXCEEDED',
      });
      expect(find(over, 'SINGLE_FINANCER_SHARE').message).toContain('État porterait 80\u202f% du coût'); // 80.00005 % shown rounded
      const exact = run((i) => {
        i.budget!.products = [
          { account: '74', label: 'E', amountCents: 16_000_00, partnerCode: 'E' },
          { account: '75', label: 'Fonds propres', amountCents: 4_000_00 },
        ];
      });
      expect(find(exact, 'SINGLE_FINANCER_SHARE').status).toBe('PASS');
    });

    it('takes the threshold from the campaign rules', () => {
      const strict = { ...DEFAULT_CHECK_RULES, maxSingleFinancerSharePercent: 30 };
      expect(
        find(
          run(() => undefined, strict),
          'SINGLE_FINANCER_SHARE',
        ).status,
      ).toBe('FAIL'); // E asks 40 %
    });

    it('sums several 74 lines of one financer', () => {
      const input = validInput();
      input.budget!.products.push({
        account: '74',
        label: 'État, second service',
        amountCents: 1_00,
        partnerCode: 'E',
      });
      expect(requestsByPartner(input).get('E')).toBe(8_001_00);
    });
  });

  describe('QPV and public', () => {
    it('blocks an action with no QPV', () => {
      expect(
        find(
          run((i) => (i.qpvCodes = [])),
          'QPV_TARGET',
        ),
      ).toMatchObject({ status: 'FAIL', code: 'QPV_REQUIRED', field: 'qpvCodes' });
    });

    it('warns under the QPV share and passes exactly at it', () => {
      const low = find(
        run((i) => (i.beneficiaries!.qpvResidents = 9)),
        'QPV_SHARE',
      );
      expect(low).toMatchObject({ status: 'WARN', blocking: false, code: 'QPV_SHARE_LOW' });
      expect(low.message).toContain('45\u202f%');
      expect(
        find(
          run((i) => (i.beneficiaries!.qpvResidents = 10)),
          'QPV_SHARE',
        ).status,
      ).toBe('PASS');
    });

    it('blocks zero beneficiaries without dividing by zero', () => {
      const results = run(
        (i) => (i.beneficiaries = { total: 0, qpvResidents: 0, women: 0, men: 0, byAge: {} }),
      );
      expect(find(results, 'BENEFICIARIES')).toMatchObject({ status: 'FAIL', code: 'BENEFICIARIES_MISSING' });
      expect(find(results, 'QPV_SHARE').status).toBe('WARN');
      expect(find(results, 'GENDER_BREAKDOWN').status).toBe('WARN');
    });

    it('blocks a public whose parts exceed the whole', () => {
      const result = find(
        run((i) => (i.beneficiaries!.women = 15)),
        'BENEFICIARIES',
      );
      expect(result).toMatchObject({ status: 'FAIL', code: 'BENEFICIARIES_INCONSISTENT' });
      expect(result.message).toContain('femmes');
    });
  });

  describe('transversal priorities', () => {
    it('warns when no breakdown by sex is given', () => {
      const result = find(
        run((i) => {
          i.beneficiaries!.women = 0;
          i.beneficiaries!.men = 0;
        }),
        'GENDER_BREAKDOWN',
      );
      expect(result).toMatchObject({ status: 'WARN', code: 'GENDER_BREAKDOWN_MISSING' });
    });

    it('warns on a low share of women, unless the holder explains it', () => {
      const low = (i: CheckInput) => {
        i.beneficiaries!.women = 7;
        i.beneficiaries!.men = 13; // 35 %
      };
      expect(find(run(low), 'GENDER_BREAKDOWN')).toMatchObject({
        status: 'WARN',
        blocking: false,
        code: 'WOMEN_SHARE_LOW',
      });
      const explained = find(
        run((i) => {
          low(i);
          i.priorities!.genderEquality!.womenShareJustification =
            'Chantier BTP : une session réservée aux femmes est prévue';
        }),
        'GENDER_BREAKDOWN',
      );
      expect(explained.status).toBe('PASS');
      const exactly40 = (i: CheckInput) => {
        i.beneficiaries!.women = 8;
        i.beneficiaries!.men = 12;
      };
      expect(find(run(exactly40), 'GENDER_BREAKDOWN').status).toBe('PASS');
    });

    it('warns on gender marker 0 for a large request only', () => {
      expect(
        find(
          run((i) => (i.priorities!.genderEquality!.marker = 0)),
          'GENDER_MARKER',
        ),
      ).toMatchObject({
        status: 'WARN',
        code: 'GENDER_MARKER_ZERO_ON_LARGE_REQUEST',
      });
      const small = run((i) => {
        i.priorities!.genderEquality!.marker = 0;
        i.budget!.products[0].amountCents = 1_000_00;
        i.budget!.products[1].amountCents = 1_000_00;
        i.budget!.products[2].amountCents = 18_000_00;
      });
      expect(find(small, 'GENDER_MARKER').status).toBe('PASS');
    });

    it('warns on gender marker 2 with fewer women than the campaign expects', () => {
      const inconsistent = run((i) => {
        i.priorities!.genderEquality!.marker = 2;
        i.beneficiaries!.women = 5;
        i.beneficiaries!.men = 15;
      });
      expect(find(inconsistent, 'GENDER_MARKER')).toMatchObject({
        status: 'WARN',
        blocking: false,
        code: 'GENDER_MARKER_INCONSISTENT',
      });
      expect(find(inconsistent, 'GENDER_MARKER').message).toContain('25\u202f% de femmes');
      const consistent = run((i) => (i.priorities!.genderEquality!.marker = 2)); // 9 women of 20: 45 %
      expect(find(consistent, 'GENDER_MARKER').status).toBe('PASS');
    });

    it('warns when a youth theme reaches nobody under 26, not for other themes', () => {
      const noYouth = (i: CheckInput) => (i.beneficiaries!.byAge = { '26-64': 20 });
      expect(find(run(noYouth), 'YOUTH_SHARE')).toMatchObject({
        status: 'WARN',
        code: 'YOUTH_SHARE_MISSING',
      });
      expect(
        find(
          run((i) => {
            noYouth(i);
            i.themeCode = 'LOG';
          }),
          'YOUTH_SHARE',
        ).status,
      ).toBe('PASS');
    });

    it('blocks a missing statement on any of the three transversal priorities, as the protocol says', () => {
      const results = run((i) => {
        i.priorities = { genderEquality: { marker: 1, measures: 'trop court' } };
      });
      expect(find(results, 'GENDER_EQUALITY_STATEMENT')).toMatchObject({ status: 'FAIL', blocking: true });
      expect(find(results, 'ANTI_DISCRIMINATION_STATEMENT')).toMatchObject({
        status: 'FAIL',
        blocking: true,
      });
      expect(find(results, 'YOUTH_STATEMENT')).toMatchObject({
        status: 'FAIL',
        blocking: true,
        code: 'YOUTH_STATEMENT_MISSING',
      });
    });
  });

  describe('documents and dates', () => {
    it('blocks without statutes or bank details; warns without accounts or activity report', () => {
      const results = run((i) => (i.attachmentKinds = ['ACCOUNTS']));
      expect(find(results, 'REQUIRED_DOCUMENTS')).toMatchObject({
        status: 'FAIL',
        code: 'DOCUMENTS_MISSING',
      });
      expect(find(results, 'REQUIRED_DOCUMENTS').message).toBe(
        'Pièces obligatoires manquantes : les statuts, le RIB.',
      );
      expect(find(results, 'RECOMMENDED_DOCUMENTS')).toMatchObject({ status: 'WARN', blocking: false });
    });

    it('warns about an action outside the campaign year', () => {
      expect(
        find(
          run((i) => {
            i.startDate = '2025-01-01';
            i.endDate = '2025-06-30';
          }),
          'ACTION_DATES',
        ).status,
      ).toBe('WARN');
    });
  });

  it('reports every blocking failure at once', () => {
    const results = run((i) => {
      i.qpvCodes = [];
      i.attachmentKinds = [];
      i.budget!.charges[0].amountCents += 1;
    });
    expect(blockingFailures(results).map((r) => r.code)).toEqual([
      'BUDGET_UNBALANCED',
      'QPV_REQUIRED',
      'DOCUMENTS_MISSING',
    ]);
  });
});
