// Node only.
import { dataFormatFromPath, type DataFormat } from './data-format.js';
import type { DataTable } from './data-table.js';
import { encodeDataFile } from './encode-data-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Writes a table [rows, cols] as a data file, the format chosen by the extension (`.csv`,
 * `.json`, `.npy`) unless given. The write is atomic (see writeFileAtomic).
 */
export async function writeDataFile(path: string, table: DataTable, options: { format?: DataFormat } = {}): Promise<void> {
  const format = options.format ?? dataFormatFromPath(path);
  await writeFileAtomic(path, encodeDataFile(table, format));
}
