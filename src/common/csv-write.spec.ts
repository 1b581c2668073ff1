import { parseCsv } from './csv.js';
import { csvLine } from './csv-write.js';

describe('csvLine', () => {
  it('quotes what needs quoting and ends the record with CRLF', () => {
    expect(csvLine(['a', 'b;c', 'd"e', 'multi\nligne', null, undefined, 42, 'Éé’'], ';')).toBe(
      'a;"b;c";"d""e";"multi\nligne";;;42;Éé’\r\n',
    );
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvLine(['=HYPERLINK("https://example.org")', '+1', '-2', '@SUM(A1)', '\tx', 'ok'], ',')).toBe(
      `"'=HYPERLINK(""https://example.org"")",'+1,'-2,'@SUM(A1),'\tx,ok\r\n`,
    );
  });

  it('reads back what it writes', () => {
    const text = '\uFEFF' + csvLine(['Titre', 'Montant'], ';') + csvLine(['Un; deux', '4 270,50'], ';');
    expect(parseCsv(text, ';')).toEqual([{ Titre: 'Un; deux', Montant: '4 270,50' }]);
  });
});
