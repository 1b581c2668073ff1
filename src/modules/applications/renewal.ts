/** Shifts a YYYY-MM-DD date by whole years (29 February becomes 28 February). */
export function shiftYears(date: string | null, years: number): string | null {
  if (!date) return null;
  const [year, month, day] = date.split('-').map(Number);
  const target = year + years;
  const lastDay = new Date(Date.UTC(target, month, 0)).getUTCDate();
  return `${target}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}
