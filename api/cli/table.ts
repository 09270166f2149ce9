// Plain-text tables for `--format table`: people read them, scripts take json or csv. Figures are
// shown with 2 decimals (spec §5) while the json and csv forms stay unrounded.

const NONE = '–';

export const fixed = (value: number | null, digits = 2): string =>
  value === null ? NONE : value.toFixed(digits);

/** A change, with its sign: +3.74, -1.20, +12. */
export const signed = (value: number | null, digits = 2): string =>
  value === null ? NONE : `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;

/** Columns padded to their widest cell; the first `left` columns (labels) align left. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  left = 1,
): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    widths
      .map((width, i) => {
        const cell = cells[i] ?? '';
        return i < left ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].map((text) => `${text}\n`).join('');
}
