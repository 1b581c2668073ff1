import type { ApplicationError } from '../../common/application-error.js';
import { judgeReferences, type FoundReferences } from './references.js';
import { shiftYears } from './renewal.js';

const found: FoundReferences = {
  contractId: 'contract',
  id: 'theme-id',
  code: 'EMP',
  label: 'Emploi',
  stakeOk: true,
  measureOk: true,
  qpvCodes: ['QN02601I'],
  partnerIds: { E: 'partner-e' },
};

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as ApplicationError).code;
  }
  return 'NONE';
};

describe('judgeReferences', () => {
  it('resolves what the write needs when every reference holds', () => {
    const resolved = judgeReferences(found, {
      themeCode: 'EMP',
      stakeId: 's',
      measureId: 'm',
      qpvCodes: ['QN02601I'],
    });
    expect(resolved).toEqual({
      contractId: 'contract',
      themeId: 'theme-id',
      themeCode: 'EMP',
      qpvCodes: ['QN02601I'],
      partnerIds: new Map([['E', 'partner-e']]),
    });
  });

  it('refuses, in order, the first reference that is wrong', () => {
    expect(codeOf(() => judgeReferences(undefined, { themeCode: 'XXX' }))).toBe('UNKNOWN_THEME');
    expect(codeOf(() => judgeReferences({ ...found, id: null }, { themeCode: 'XXX' }))).toBe('UNKNOWN_THEME');
    expect(codeOf(() => judgeReferences({ ...found, stakeOk: false }, { stakeId: 's' }))).toBe(
      'STAKE_NOT_IN_THEME',
    );
    expect(
      codeOf(() => judgeReferences({ ...found, measureOk: false }, { stakeId: 's', measureId: 'm' })),
    ).toBe('MEASURE_NOT_IN_STAKE');
    expect(codeOf(() => judgeReferences(found, { measureId: 'm' }))).toBe('MEASURE_NOT_IN_STAKE');
    expect(codeOf(() => judgeReferences(found, { qpvCodes: ['QN99999X'] }))).toBe('UNKNOWN_QPV');
    expect(codeOf(() => judgeReferences(found, { startDate: '2027-06-01', endDate: '2027-01-01' }))).toBe(
      'DATES_OUT_OF_ORDER',
    );
  });

  it('judges an edit against the stored stake and dates it does not change', () => {
    const current = { stakeId: 's', measureId: null, startDate: '2027-06-01', endDate: '2027-12-31' };
    expect(codeOf(() => judgeReferences({ ...found, measureOk: false }, { measureId: 'm' }, current))).toBe(
      'MEASURE_NOT_IN_STAKE',
    );
    expect(codeOf(() => judgeReferences(found, { endDate: '2027-01-01' }, current))).toBe(
      'DATES_OUT_OF_ORDER',
    );
    expect(codeOf(() => judgeReferences(found, { endDate: '2027-07-01' }, current))).toBe('NONE');
  });
});

describe('shiftYears', () => {
  it('moves a date by whole years, 29 February to 28 February', () => {
    expect(shiftYears('2026-03-15', 1)).toBe('2027-03-15');
    expect(shiftYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(shiftYears('2028-02-29', 4)).toBe('2032-02-29');
    expect(shiftYears(null, 1)).toBeNull();
  });
});
