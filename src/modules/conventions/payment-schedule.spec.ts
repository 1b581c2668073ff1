import { splitAdvance } from './payment-schedule.js';

describe('payment schedule', () => {
  it('never loses nor invents a cent', () => {
    for (const [granted, percent] of [
      [1_00, 33],
      [9_999_99, 50],
      [1, 50],
      [12_345_67, 70],
      [0, 50],
    ]) {
      const { advanceCents, balanceCents } = splitAdvance(granted, percent);
      expect(advanceCents + balanceCents).toBe(granted);
      expect(advanceCents).toBeLessThanOrEqual(Math.ceil((granted * percent) / 100));
    }
  });

  it('pays an odd cent with the balance', () => {
    expect(splitAdvance(1_001, 50)).toEqual({ advanceCents: 500, balanceCents: 501 });
    expect(splitAdvance(10_000_00, 100)).toEqual({ advanceCents: 10_000_00, balanceCents: 0 });
    expect(splitAdvance(10_000_00, 0)).toEqual({ advanceCents: 0, balanceCents: 10_000_00 });
  });
});
