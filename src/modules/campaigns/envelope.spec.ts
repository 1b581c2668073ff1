import { allocate } from './envelope.js';

const envelopes = (byTheme: Record<string, number>, allThemes = 0) => ({
  byTheme: new Map(Object.entries(byTheme)),
  allThemes,
});
const grants = (byTheme: Record<string, number>) => new Map(Object.entries(byTheme));

describe('envelope allocation', () => {
  it('draws on the theme envelope first', () => {
    const result = allocate(envelopes({ EMP: 1000 }, 500), grants({ EMP: 800 }));
    expect(result.byTheme.get('EMP')).toEqual({
      grantedCents: 800,
      fromThemeCents: 800,
      fromAllThemesCents: 0,
    });
    expect(result).toMatchObject({ allThemesUsedCents: 0, fits: true, excessCents: 0 });
  });

  it('takes the overflow from the all-themes envelope, shared by every theme', () => {
    const result = allocate(envelopes({ EMP: 1000, EDU: 200 }, 500), grants({ EMP: 1300, EDU: 400, LOG: 0 }));
    expect(result.byTheme.get('EMP')).toEqual({
      grantedCents: 1300,
      fromThemeCents: 1000,
      fromAllThemesCents: 300,
    });
    expect(result.byTheme.get('EDU')).toEqual({
      grantedCents: 400,
      fromThemeCents: 200,
      fromAllThemesCents: 200,
    });
    expect(result).toMatchObject({ allThemesUsedCents: 500, fits: true });
  });

  it('refuses one cent beyond both envelopes', () => {
    const result = allocate(envelopes({ EMP: 1000 }, 500), grants({ EMP: 1501 }));
    expect(result).toMatchObject({ fits: false, excessCents: 1 });
  });

  it('lets a theme without its own envelope draw on the all-themes one only', () => {
    expect(allocate(envelopes({}, 500), grants({ SOL: 500 })).fits).toBe(true);
    expect(allocate(envelopes({}, 500), grants({ SOL: 501 })).fits).toBe(false);
  });

  it('gives a financer without any envelope nothing to grant', () => {
    expect(allocate(envelopes({}), grants({ EMP: 1 })).fits).toBe(false);
    expect(allocate(envelopes({}), grants({ EMP: 0 })).fits).toBe(true);
  });

  it('does not let one theme’s unused envelope serve another', () => {
    expect(allocate(envelopes({ EMP: 1000, EDU: 0 }, 0), grants({ EMP: 0, EDU: 1 })).fits).toBe(false);
  });
});
