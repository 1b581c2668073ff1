import { cleanFilename } from './file-type.js';

describe('cleanFilename', () => {
  it('keeps the last path segment only', () => {
    expect(cleanFilename('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(cleanFilename('C:\\Users\\asso\\statuts.pdf')).toBe('statuts.pdf');
  });

  it('keeps French names whole', () => {
    expect(cleanFilename('Relevé d’identité bancaire.pdf')).toBe('Relevé d’identité bancaire.pdf');
  });

  it('drops control and reserved characters, hidden-file dots and reserved names', () => {
    expect(cleanFilename('bil\u0000an:2027*?.pdf')).toBe('bilan2027.pdf');
    expect(cleanFilename('..hidden.pdf')).toBe('hidden.pdf');
    expect(cleanFilename('...')).toBe('document');
    expect(cleanFilename('CON')).toBe('document');
  });

  it('composes accents and drops invisible and direction-changing characters', () => {
    expect(cleanFilename('Releve\u0301.pdf')).toBe('Relev\u00e9.pdf');
    expect(cleanFilename('facture\u202Efdp.exe')).toBe('facturefdp.exe');
    expect(cleanFilename('sta\u200Btuts\u2066.pdf')).toBe('statuts.pdf');
  });

  it('caps the name at 255 bytes', () => {
    expect(Buffer.byteLength(cleanFilename(`${'é'.repeat(300)}.pdf`))).toBeLessThanOrEqual(255);
  });
});
