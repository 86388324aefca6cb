// The results file of the parity suite (`parity.json`): every run's record under a key that names
// the run and its settings, so a suite resumes where it stopped and folders of runs made apart merge.
import { existsSync, readFileSync } from 'node:fs';
import type { ParityRecord } from './parity-summary.js';

/** `parity.json`: format, version and the records (each with its key). */
export interface ParityFile {
  format: 'pfm-bench-parity';
  version: 1;
  records: (ParityRecord & { key: string })[];
}

/**
 * Reads `path` (an empty file when it does not exist); throws, naming the file, on invalid JSON
 * or a file of another kind.
 */
export function readParityFile(path: string): ParityFile {
  if (!existsSync(path)) return { format: 'pfm-bench-parity', version: 1, records: [] };
  let file: ParityFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as ParityFile;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}); move it away to start over`);
  }
  if (file === null || typeof file !== 'object' || file.format !== 'pfm-bench-parity' || file.version !== 1 || !Array.isArray(file.records)) {
    throw new Error(`${path}: not a parity results file (format pfm-bench-parity, version 1); move it away to start over`);
  }
  return file;
}
