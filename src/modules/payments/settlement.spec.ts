import fc from 'fast-check';
import { advanceCents, grantDueCents, settlement } from './settlement.js';

describe('the settlement of a grant', () => {
  it('the contract’s example: 4 270 € granted, 50 % advance, actual cost 90 % of the planned one', () => {
    const granted = 4_270_00;
    const advance = advanceCents(granted, 50);
    expect(advance).toBe(2_135_00);
    const due = grantDueCents(granted, 9_000_00, 10_000_00);
    expect(due).toBe(3_843_00);
    expect(settlement(due, advance)).toEqual({ kind: 'BALANCE', amountCents: 1_708_00 });
  });

  it('rounds down to the cent, never pays more than granted, and asks back what the advance overpaid', () => {
    expect(advanceCents(1_001, 50)).toBe(500);
    expect(grantDueCents(1_000_00, 12_000_00, 10_000_00)).toBe(1_000_00);
    expect(grantDueCents(1_000_01, 1, 3)).toBe(33_333);
    expect(grantDueCents(1_000_00, 0, 10_000_00)).toBe(0);
    expect(settlement(30_00, 50_00)).toEqual({ kind: 'RECOVERY', amountCents: 20_00 });
    expect(settlement(50_00, 50_00)).toBeNull();
  });

  it('advance + balance − recovery = grant due, for generated grants, percentages and costs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_00 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 1_000_000_000_00 }),
        fc.integer({ min: 0, max: 1_500_000_000_00 }),
        (granted, percent, planned, actual) => {
          const advance = advanceCents(granted, percent);
          const due = grantDueCents(granted, actual, planned);
          const settled = settlement(due, advance);
          const balance = settled?.kind === 'BALANCE' ? settled.amountCents : 0;
          const recovery = settled?.kind === 'RECOVERY' ? settled.amountCents : 0;
          expect(advance + balance - recovery).toBe(due);
          expect(Number.isInteger(due) && due >= 0 && due <= granted).toBe(true);
          expect(advance).toBeLessThanOrEqual(granted);
          // Rounded down: the exact value is within one cent above.
          expect(BigInt(due) * BigInt(planned) <= BigInt(granted) * BigInt(Math.min(actual, planned))).toBe(
            true,
          );
        },
      ),
      { numRuns: 2_000, seed: 20261130 },
    );
  });
});
