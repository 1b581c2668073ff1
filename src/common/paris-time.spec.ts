import {
  deadlineInstant,
  openingInstant,
  parisDate,
  parisOffsetMinutes,
  parisWallClockToUtc,
} from './paris-time.js';

describe('Paris time', () => {
  it('knows winter and summer offsets', () => {
    expect(parisOffsetMinutes(new Date('2027-01-15T12:00:00Z'))).toBe(60);
    expect(parisOffsetMinutes(new Date('2027-07-15T12:00:00Z'))).toBe(120);
  });

  it('turns a Paris wall-clock time into UTC on both sides of the DST changes', () => {
    expect(parisWallClockToUtc('2027-01-15', '23:59:59').toISOString()).toBe('2027-01-15T22:59:59.000Z');
    expect(parisWallClockToUtc('2027-07-15', '23:59:59').toISOString()).toBe('2027-07-15T21:59:59.000Z');
    // 28 March 2027: clocks go forward at 02:00 Paris; 31 October 2027: back at 03:00.
    expect(parisWallClockToUtc('2027-03-28', '12:00:00').toISOString()).toBe('2027-03-28T10:00:00.000Z');
    expect(parisWallClockToUtc('2027-10-31', '12:00:00').toISOString()).toBe('2027-10-31T11:00:00.000Z');
  });

  it('reads a bare date as the end of the day for a deadline and the start for an opening', () => {
    expect(deadlineInstant('2027-01-31').toISOString()).toBe('2027-01-31T22:59:59.000Z');
    expect(openingInstant('2026-12-01').toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(deadlineInstant('2027-01-31T12:00:00Z').toISOString()).toBe('2027-01-31T12:00:00.000Z');
  });

  it('gives the Paris calendar date of an instant', () => {
    expect(parisDate(new Date('2027-01-31T23:30:00Z'))).toBe('2027-02-01');
    expect(parisDate(new Date('2027-01-31T22:30:00Z'))).toBe('2027-01-31');
  });
});
