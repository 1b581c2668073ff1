import { identityTextProblem } from './identity-text.js';

describe('identityTextProblem', () => {
  it.each([
    'Hélène Dupré',
    'François Œuvre',
    'L’Envol – Ça ira',
    'jean.dupont@asso-montelimar.fr',
    'Оксана Шевченко',
    'Ελένη Παππά',
    'Zoë Ñúñez',
    'Centre social Colucci (26)',
  ])('accepts %s', (text) => {
    expect(identityTextProblem(text)).toBeUndefined();
  });

  it.each([
    ['a Cyrillic a in a Latin word', 'p\u0430ypal@asso.fr'],
    ['a Greek omicron in a Latin word', 'Le\u03bfn'],
    ['a Latin o in a Cyrillic word', 'Окс\u0061на'],
    ['a zero-width space', 'jean\u200bdupont@asso.fr'],
    ['a zero-width joiner', 'ma\u200drie'],
    ['a right-to-left override', 'facture\u202efdp'],
    ['a control character', 'nom\u0007'],
  ])('refuses %s', (_case, text) => {
    expect(identityTextProblem(text)).toEqual(expect.any(String));
  });

  it('judges full-width and other compatibility forms as what they look like (NFKC)', () => {
    expect(identityTextProblem('ｐａｙｐａｌ')).toBeUndefined(); // all Latin once normalised
    expect(identityTextProblem('ｐ\u0430ｙｐａｌ')).toEqual(expect.any(String));
  });
});
