/** Splits a grant into an advance and a balance; the cents the percentage cannot divide go to the balance. */
export function splitAdvance(
  grantedCents: number,
  advancePercent: number,
): { advanceCents: number; balanceCents: number } {
  const advanceCents = Math.floor((grantedCents * advancePercent) / 100);
  return { advanceCents, balanceCents: grantedCents - advanceCents };
}
