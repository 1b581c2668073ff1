/**
 * The money of a grant after the COPIL, per granting financer (api-contract.md, « Conventions and payments »):
 * the advance falls due at signature, `floor(granted × advancePercent / 100)`; once the report is accepted the
 * grant due is `granted × min(1, actual cost / planned cost)` rounded down to the cent (costs without
 * contributions in kind), and its difference with the advance is a BALANCE to pay, a RECOVERY the holder pays
 * back, or nothing. Integer cents throughout; products in BigInt so that no intermediate loses a cent.
 */

export type PaymentKind = 'ADVANCE' | 'BALANCE' | 'RECOVERY';

export function advanceCents(grantedCents: number, advancePercent: number): number {
  return Number((BigInt(grantedCents) * BigInt(advancePercent)) / 100n);
}

/** The grant due once the action's actual cost is known: never more than granted, in proportion below. */
export function grantDueCents(
  grantedCents: number,
  actualCostCents: number,
  plannedCostCents: number,
): number {
  if (plannedCostCents <= 0 || actualCostCents >= plannedCostCents) return grantedCents;
  if (actualCostCents <= 0) return 0;
  return Number((BigInt(grantedCents) * BigInt(actualCostCents)) / BigInt(plannedCostCents));
}

/** What settles the grant after the report: a balance, a recovery, or nothing when the advance was exact. */
export function settlement(
  dueCents: number,
  advancePaidOrDueCents: number,
): { kind: 'BALANCE' | 'RECOVERY'; amountCents: number } | null {
  const difference = dueCents - advancePaidOrDueCents;
  if (difference === 0) return null;
  return difference > 0
    ? { kind: 'BALANCE', amountCents: difference }
    : { kind: 'RECOVERY', amountCents: -difference };
}
