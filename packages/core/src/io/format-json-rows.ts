import type { DataTable } from './data-table.js';
import { assertDataTable } from './data-table-check.js';
import { formatFloat32 } from './number-text.js';

/**
 * Writes a table [rows, cols] as a JSON array of rows, one row per line (`[[1,2],\n[3,4]]`),
 * with the shortest decimals that read back as the same float32. A header, if any, is not
 * written (the format has no place for it); one-column tables are written as `[[x], …]`.
 */
export function formatJsonRows(table: DataTable): string {
  assertDataTable(table, 'formatJsonRows');
  const { rows, cols, values } = table;
  const lines: string[] = [];
  const cells: string[] = new Array<string>(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) cells[j] = formatFloat32(values[i * cols + j] as number);
    lines.push(`[${cells.join(',')}]`);
  }
  return `[${lines.join(',\n')}]\n`;
}
