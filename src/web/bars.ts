/**
 * Horizontal bar charts drawn on the server as SVG (web.md: no chart script), each bar labelled with its
 * figure; the page shows the table of the same figures beside it. Pure: rows in, SVG markup out.
 */
export interface BarRow {
  label: string;
  /** One value per series, in cents. */
  values: number[];
}

export interface BarChart {
  title: string;
  series: { name: string; className: string }[];
  rows: BarRow[];
  format: (value: number) => string;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A label in at most two lines of `width` characters, cut at words; what does not fit ends with « … ». */
export function labelLines(label: string, width = 30): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (!line || `${line} ${word}`.length <= width) line = line ? `${line} ${word}` : word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  const shown = lines
    .slice(0, 2)
    .map((text) => (text.length > width ? `${text.slice(0, width - 1)}…` : text));
  if (lines.length > 2) shown[1] = `${shown[1].slice(0, width - 1)}…`;
  return shown;
}

export function barChartSvg(chart: BarChart): string {
  const labelWidth = 220;
  const barArea = 420;
  const valueWidth = 130;
  const barHeight = 14;
  const rowHeight = Math.max(chart.series.length * (barHeight + 4) + 14, 36);
  const max = Math.max(1, ...chart.rows.flatMap((row) => row.values));
  const height = chart.rows.length * rowHeight + 10;
  const width = labelWidth + barArea + valueWidth;
  const parts: string[] = [];
  chart.rows.forEach((row, rowIndex) => {
    const top = rowIndex * rowHeight + 6;
    const lines = labelLines(row.label);
    parts.push(
      `<text x="0" y="${top + barHeight - 2}" class="cdv-chart__label">${lines
        .map((line, index) => `<tspan x="0" dy="${index === 0 ? 0 : 15}">${escape(line)}</tspan>`)
        .join('')}</text>`,
    );
    row.values.forEach((value, seriesIndex) => {
      const y = top + seriesIndex * (barHeight + 4);
      const length = Math.round((value / max) * barArea);
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${Math.max(length, value > 0 ? 1 : 0)}" height="${barHeight}" class="${chart.series[seriesIndex].className}"/>`,
        `<text x="${labelWidth + length + 6}" y="${y + barHeight - 3}" class="cdv-chart__value">${escape(chart.format(value))}</text>`,
      );
    });
  });
  const legend = chart.series.map((series) => series.name).join(', ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="cdv-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escape(`${chart.title} : ${legend}. Les chiffres sont dans le tableau qui suit.`)}">` +
    `${parts.join('')}</svg>`
  );
}
