import { barChartSvg, labelLines } from './bars.js';

describe('server-side bar charts', () => {
  const chart = (values: number[][]) =>
    barChartSvg({
      title: 'Titre',
      series: [
        { name: 'A', className: 'a' },
        { name: 'B', className: 'b' },
      ],
      rows: values.map((row, index) => ({ label: `Ligne <${index}>`, values: row })),
      format: (value) => `${value} c`,
    });

  it('draws each bar in proportion to the largest value, with its figure', () => {
    const svg = chart([
      [100, 50],
      [25, 0],
    ]);
    const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((match) => Number(match[1]));
    expect(widths).toEqual([420, 210, 105, 0]);
    expect(svg).toContain('>100 c<');
    expect(svg).toContain('>0 c<');
  });

  it('escapes labels and names its figures for screen readers', () => {
    const svg = chart([[1, 2]]);
    expect(svg).toContain('Ligne &lt;0&gt;');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Titre : A, B. Les chiffres sont dans le tableau qui suit."');
  });

  it('writes a long label on two lines cut at words, and cuts what is left with « … »', () => {
    expect(labelLines('Caisse d’allocations familiales de la Drôme · Éducation et parentalité')).toEqual([
      'Caisse d’allocations',
      'familiales de la Drôme ·…',
    ]);
    expect(labelLines('Emploi')).toEqual(['Emploi']);
    expect(labelLines('Conseil départemental de la Drôme')).toEqual(['Conseil départemental de la', 'Drôme']);
  });
});
