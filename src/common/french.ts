import { parisDate } from './paris-time.js';

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

const PARIS_TIME = new Intl.DateTimeFormat('fr-FR', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/Paris',
});

/** An instant as read in Montélimar: "26 novembre 2026 à 14 h 05" (Europe/Paris). */
export function frenchDateTime(instant: Date): string {
  const [hours, minutes] = PARIS_TIME.format(instant).split(':');
  return `${frenchDate(parisDate(instant))} à ${hours} h ${minutes}`;
}
