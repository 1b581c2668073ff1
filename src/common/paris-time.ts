/** Deadlines are set and compared in Europe/Paris time, stored as UTC instants (time zones by luxon). */
import { DateTime } from 'luxon';

const PARIS = 'Europe/Paris';

/** Offset of Paris from UTC, in minutes, at a given instant (60 in winter, 120 in summer). */
export function parisOffsetMinutes(instant: Date): number {
  return DateTime.fromJSDate(instant, { zone: PARIS }).offset;
}

/**
 * The UTC instant of a wall-clock time in Paris (luxon's time-zone rules; a time skipped when clocks go
 * forward is moved forward by the gap).
 */
export function parisWallClockToUtc(date: string, time = '00:00:00'): Date {
  const instant = DateTime.fromISO(`${date}T${time}`, { zone: PARIS });
  if (!instant.isValid) throw new RangeError(`Not a date and time: ${date} ${time}`);
  return instant.toJSDate();
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
  return DateTime.fromJSDate(instant, { zone: PARIS }).toISODate()!;
}
