/** Money is integer euro cents everywhere; these helpers never go through floats for stored values. */

export const MAX_CENTS = 100_000_000_000_00; // 100 billion euros: far above any contract, far below 2^53

export function sumCents(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * A sum of cents as PostgreSQL gives it (bigint, read as text): exact as a JSON number, or an error rather
 * than a silent rounding past 2^53 cents.
 */
export function centsFromSql(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`Amount beyond exact JSON numbers: ${text}`);
  return value;
}

/** `part / whole >= percent / 100`, exactly, in integers. A zero whole has no share. */
export function shareAtLeast(part: number, whole: number, percent: number): boolean {
  return whole > 0 && part * 100 >= percent * whole;
}

/** `part / whole > percent / 100`, exactly. */
export function shareAbove(part: number, whole: number, percent: number): boolean {
  return whole > 0 && part * 100 > percent * whole;
}

/** A share as a French percentage with one decimal, rounded half up ("42,9 %"); for messages only. */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return '0 %';
  const tenths = Math.floor((part * 1000 * 2 + whole) / (whole * 2));
  const text = `${Math.floor(tenths / 10)},${tenths % 10}`.replace(/,0$/, '');
  return `${text}\u202f%`;
}

/** A share as a percentage with one decimal, rounded half up in integers (42.9); 0 when the whole is 0. */
export function sharePercent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.floor((part * 2000 + whole) / (whole * 2)) / 10;
}

/** Cents as a French decimal number without separators, for spreadsheets: 427000 → "4270,00". */
export function frenchDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)},${String(absolute % 100).padStart(2, '0')}`;
}

/** Cents as a decimal number with a point, for open data: 427000 → "4270.00". */
export function dotDecimal(cents: number): string {
  return frenchDecimal(cents).replace(',', '.');
}

const EUROS = new Intl.NumberFormat('fr-FR', {
  style: 'currency',
  currency: 'EUR',
  minimumFractionDigits: 2,
});

/** French format: `4 270,00 €` (narrow no-break spaces, as Intl writes them). */
export function formatEuros(cents: number): string {
  return EUROS.format(cents / 100);
}

/** TypeORM transformer for bigint cent columns: the pg driver returns bigint as a string. */
export const bigintCents = {
  to: (value: number | null | undefined): number | null | undefined => value,
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};

/**
 * An amount as people type it in a form, in cents: « 4270 », « 4 270 », « 4 270,50 », « 4270.50 », « 4 270 € »
 * (spaces, no-break and narrow no-break spaces as thousands separators; a comma or a point before at most two
 * decimals). Undefined for anything else (letters, a negative sign, three decimals, two separators, above
 * `MAX_CENTS`), so that the form can say what it expected.
 */
export function parseFrenchAmount(typed: string): number | undefined {
  const compact = typed
    .trim()
    .replace(/\s*€$/u, '')
    .replace(/[\s\u00a0\u202f]/gu, '');
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return undefined;
  // A point is a decimal separator, as a comma: « 4.27 » is 4 euros 27, never 427 euros.
  const euros = Number(match[1]);
  const cents = match[2] ? Number(match[2].padEnd(2, '0')) : 0;
  const total = euros * 100 + cents;
  return Number.isSafeInteger(total) && total <= MAX_CENTS ? total : undefined;
}

/**
 * Cents as a form shows them back to be typed over: « 4 270 », « 4 270,50 » (plain spaces, no currency), so
 * that `parseFrenchAmount` reads them as the same cents.
 */
export function typedAmount(cents: number): string {
  const euros = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const rest = cents % 100;
  return rest === 0 ? euros : `${euros},${String(rest).padStart(2, '0')}`;
}
