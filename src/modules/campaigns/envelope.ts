/**
 * Envelope arithmetic for one financer in one campaign. A grant for a theme is drawn first from the
 * financer's envelope for that theme; what exceeds it is drawn from the financer's all-themes envelope,
 * which every theme shares. So the grants fit when the themes' overflows add up to at most the
 * all-themes envelope.
 */
export interface FinancerEnvelopes {
  /** Theme code → envelope for that theme. */
  byTheme: ReadonlyMap<string, number>;
  /** The all-themes envelope (0 when there is none). */
  allThemes: number;
}

export interface ThemeDraw {
  grantedCents: number;
  fromThemeCents: number;
  fromAllThemesCents: number;
}

export interface Allocation {
  byTheme: Map<string, ThemeDraw>;
  allThemesUsedCents: number;
  fits: boolean;
  /** How much would have to be removed for the grants to fit (0 when they fit). */
  excessCents: number;
}

export function allocate(
  envelopes: FinancerEnvelopes,
  grantedByTheme: ReadonlyMap<string, number>,
): Allocation {
  const byTheme = new Map<string, ThemeDraw>();
  let allThemesUsedCents = 0;
  for (const [theme, grantedCents] of grantedByTheme) {
    const themed = envelopes.byTheme.get(theme) ?? 0;
    const fromThemeCents = Math.min(grantedCents, themed);
    const fromAllThemesCents = grantedCents - fromThemeCents;
    allThemesUsedCents += fromAllThemesCents;
    byTheme.set(theme, { grantedCents, fromThemeCents, fromAllThemesCents });
  }
  const excessCents = Math.max(0, allThemesUsedCents - envelopes.allThemes);
  return { byTheme, allThemesUsedCents, fits: excessCents === 0, excessCents };
}
