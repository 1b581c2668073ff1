/** Deadlines are set and compared in Europe/Paris time, stored as UTC instants. */

const PARIS = 'Europe/Paris';
const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: PARIS,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Offset of Paris from UTC, in minutes, at a given instant (60 in winter, 120 in summer). */
export function parisOffsetMinutes(instant: Date): number {
  const values = Object.fromEntries(parts.formatToParts(instant).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(
    +values.year,
    +values.month - 1,
    +values.day,
    +values.hour,
    +values.minute,
    +values.second,
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The UTC instant of a wall-clock time in Paris. */
export function parisWallClockToUtc(date: string, time = '00:00:00'): Date {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute, second] = time.split(':').map(Number);
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  // Two passes settle the offset on either side of a DST change.
  let instant = new Date(guess - parisOffsetMinutes(new Date(guess)) * 60_000);
  instant = new Date(guess - parisOffsetMinutes(instant) * 60_000);
  return instant;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a deadline: a full ISO 8601 instant as given, or a bare date as the end of that day in Paris
 * (23:59:59), which is what "avant le 15 janvier" means to the people who set it.
 */
export function deadlineInstant(value: string): Date {
  return DATE_ONLY.test(value) ? parisWallClockToUtc(value, '23:59:59') : new Date(value);
}

/** Reads an opening: a bare date is the start of that day in Paris. */
export function openingInstant(value: string): Date {
  return DATE_ONLY.test(value) ? parisWallClockToUtc(value, '00:00:00') : new Date(value);
}

/** The calendar date in Paris of an instant (YYYY-MM-DD). */
export function parisDate(instant: Date): string {
  const values = Object.fromEntries(parts.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${values.year}-${values.month}-${values.day}`;
}
