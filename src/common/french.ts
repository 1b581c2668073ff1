const LONG_DATE = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "2027-03-25" → "25 mars 2027" (the 1st reads "1er"). */
export function frenchDate(isoDate: string): string {
  const text = LONG_DATE.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`));
  return text.replace(/^1 /, '1er ');
}
