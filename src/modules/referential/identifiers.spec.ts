import { isValidRna, isValidSiren, isValidSiret, luhnSum, normaliseIdentifier } from './identifiers.js';

describe('luhnSum', () => {
  it('doubles every second digit from the right', () => {
    // 7 9 9 2 7 3 9 8 7 1 3 -> classic Luhn example, total 70 with the check digit 3.
    expect(luhnSum('79927398713')).toBe(70);
  });
});

describe('SIREN and SIRET', () => {
  it.each([
    '21260198300019', // Mairie de Montélimar (ANCT data)
    '73282932000074', // a real SIRET that passes Luhn
    '35600000000048', // La Poste head office: passes Luhn itself
  ])('accepts %s', (siret) => {
    expect(isValidSiret(siret)).toBe(true);
  });

  it('accepts a La Poste establishment that fails Luhn but whose digits sum to a multiple of 5', () => {
    // 3+5+6+0+0+0+0+0+0+0+9+0+7+5 = 35
    expect(luhnSum('35600000009075') % 10).not.toBe(0);
    expect(isValidSiret('35600000009075')).toBe(true);
  });

  it('refuses a La Poste number whose digits do not sum to a multiple of 5', () => {
    expect(isValidSiret('35600000009076')).toBe(false);
  });

  it.each([
    ['21260198300018', 'wrong check digit'],
    ['2126019830001', 'thirteen digits'],
    ['212601983000190', 'fifteen digits'],
    ['2126019830001A', 'a letter'],
    ['', 'empty'],
  ])('refuses %s (%s)', (siret) => {
    expect(isValidSiret(siret)).toBe(false);
  });

  it('refuses a SIRET whose own sum is a multiple of 10 but whose SIREN is invalid', () => {
    // SIREN 000000001 fails Luhn; complete to a SIRET whose total Luhn sum is a multiple of 10.
    const base = '000000001' + '0000';
    const check = [...Array(10).keys()].map(String).find((digit) => luhnSum(base + digit) % 10 === 0)!;
    expect(luhnSum(base + check) % 10).toBe(0);
    expect(isValidSiret(base + check)).toBe(false);
  });

  it('checks a SIREN alone', () => {
    expect(isValidSiren('212601983')).toBe(true);
    expect(isValidSiren('212601984')).toBe(false);
  });
});

describe('RNA', () => {
  it.each(['W261002345', 'W2A1002345', 'W751234567'])('accepts %s', (rna) => {
    expect(isValidRna(rna)).toBe(true);
  });

  it.each(['261002345', 'W26100234', 'W2610023456', 'w261002345', 'WA61002345', 'W26A002345'])(
    'refuses %s',
    (rna) => {
      expect(isValidRna(rna)).toBe(false);
    },
  );
});

describe('normaliseIdentifier', () => {
  it('removes the separators people type', () => {
    expect(normaliseIdentifier('212 601 983 00019')).toBe('21260198300019');
    expect(normaliseIdentifier('w261002345')).toBe('W261002345');
  });
});
