import {
  typedAmount,
  centsFromSql,
  dotDecimal,
  formatEuros,
  formatShare,
  frenchDecimal,
  parseFrenchAmount,
  shareAbove,
  shareAtLeast,
  sharePercent,
  sumCents,
} from './money.js';

describe('money', () => {
  it('adds cents exactly where floats would drift', () => {
    expect(sumCents([10, 20, 30_000_000_01])).toBe(30_000_000_31);
    expect(0.1 + 0.2).not.toBe(0.3); // what floats would have done with euros
    expect(sumCents([10, 20])).toBe(30);
  });

  it('reads sums of cents from SQL exactly, and refuses one a JSON number would round', () => {
    expect(centsFromSql('0')).toBe(0);
    expect(centsFromSql('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => centsFromSql('9007199254740993')).toThrow(/beyond exact JSON numbers/);
    expect(() => centsFromSql('12.5')).toThrow();
  });

  it('compares shares exactly at the boundary', () => {
    expect(shareAtLeast(50, 100, 50)).toBe(true);
    expect(shareAtLeast(49, 100, 50)).toBe(false);
    expect(shareAtLeast(1, 3, 33)).toBe(true); // 33.33 %
    expect(shareAtLeast(1, 3, 34)).toBe(false);
    expect(shareAbove(80_00, 100_00, 80)).toBe(false);
    expect(shareAbove(80_01, 100_00, 80)).toBe(true);
    expect(shareAtLeast(0, 0, 0)).toBe(false);
  });

  it('formats shares in French with one decimal', () => {
    expect(formatShare(1, 3)).toBe('33,3\u202f%');
    expect(formatShare(2, 3)).toBe('66,7\u202f%');
    expect(formatShare(1, 2)).toBe('50\u202f%');
    expect(formatShare(0, 0)).toBe('0 %');
  });

  it('formats euros the French way', () => {
    expect(formatEuros(427000)).toBe('4\u202f270,00\u00a0€');
    expect(formatEuros(5)).toBe('0,05\u00a0€');
  });

  it('gives percentages with one decimal, rounded half up, from integers', () => {
    expect(sharePercent(1, 3)).toBe(33.3);
    expect(sharePercent(2, 3)).toBe(66.7);
    expect(sharePercent(1, 8)).toBe(12.5);
    expect(sharePercent(5, 0)).toBe(0);
  });

  it('writes decimals for spreadsheets and open data without thousands separators', () => {
    expect(frenchDecimal(427000)).toBe('4270,00');
    expect(frenchDecimal(5)).toBe('0,05');
    expect(dotDecimal(9978657)).toBe('99786.57');
  });
});

describe('parseFrenchAmount', () => {
  it.each([
    ['4270', 4_270_00],
    ['4 270', 4_270_00],
    ['4\u00a0270', 4_270_00],
    ['4\u202f270,50', 4_270_50],
    ['4 270,5', 4_270_50],
    ['4270.50', 4_270_50],
    ['  12 000 € ', 12_000_00],
    ['0,07', 7],
  ])('reads « %s » as %i cents', (typed, cents) => {
    expect(parseFrenchAmount(typed)).toBe(cents);
  });

  it.each(['', 'abc', '-10', '4 270,505', '4.270,50', '12e3', '1,2,3', '999999999999999999'])(
    'refuses « %s »',
    (typed) => {
      expect(parseFrenchAmount(typed)).toBeUndefined();
    },
  );
});

describe('typedAmount', () => {
  it('shows cents as people type them, which parseFrenchAmount reads back', () => {
    expect(typedAmount(4_270_00)).toBe('4 270');
    expect(typedAmount(4_270_50)).toBe('4 270,50');
    expect(typedAmount(5)).toBe('0,05');
    expect(typedAmount(1_234_567_89)).toBe('1 234 567,89');
    for (const cents of [0, 1, 99, 100, 4_270_50, 99_999_999_99])
      expect(parseFrenchAmount(typedAmount(cents))).toBe(cents);
  });
});
