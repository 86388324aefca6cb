import type { DataTable } from './data-table.js';
import { assertDataTable } from './data-table-check.js';
import { formatFloat32, looksNumeric } from './number-text.js';

/**
 * Writes a table [rows, cols] as CSV: the header row first when the table has one, then one line
 * per row, `\n` line ends and a trailing newline. Each value is the shortest decimal that reads
 * back as the same float32, so `parseCsv(formatCsv(t))` gives `t` back exactly. A header a
 * reader would take for data (a name that reads as a number, or only empty names) is refused.
 */
export function formatCsv(table: DataTable): string {
  assertDataTable(table, 'formatCsv');
  const { rows, cols, values, header } = table;
  const lines: string[] = [];
  if (header) {
    // parseCsv tells a header from data by its cells: all non-numeric, one at least not empty.
    const numeric = header.find((name) => looksNumeric(name.trim()));
    if (numeric !== undefined) {
      throw new TypeError(`formatCsv: header name ${JSON.stringify(numeric)} reads as a number, so the header would read back as a data row`);
    }
    if (header.every((name) => name.trim() === '')) {
      throw new TypeError('formatCsv: every header name is empty, so the header would not read back; give names or no header');
    }
    lines.push(header.map(quoteHeaderCell).join(','));
  }
  const cells: string[] = new Array<string>(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) cells[j] = formatFloat32(values[i * cols + j] as number);
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

// Header names are quoted when they would otherwise not read back as the same text.
function quoteHeaderCell(name: string): string {
  if (/[\n\r]/.test(name)) throw new TypeError(`formatCsv: header name ${JSON.stringify(name)} contains a line break`);
  return /[",]|^[\s#]|\s$/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}
