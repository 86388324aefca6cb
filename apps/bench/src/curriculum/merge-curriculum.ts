// Merges the results of curriculum runs made apart (split by seeds, objectives or variants over
// several processes, each with its own --out) into one `curriculum.json` and `curriculum.md`. A run
// is the same run in two folders when its target, method, variant and seed agree: a finished record
// is kept over a failed one, and of two finished ones the folder listed later wins. Runs made with
// other settings (steps, batch, training points, samples) do not belong in one table, so folders
// whose settings differ are refused.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurriculumArgs } from './curriculum-args.js';
import { curriculumMarkdown, type CurriculumRecord } from './curriculum-summary.js';
import { mergeRecords } from '../report/merge-records.js';
import { writeAtomic } from '../report/write-atomic.js';

/** `curriculum.json`: format, version, the settings of the suite that wrote it, and its records. */
export interface CurriculumFile {
  format: 'pfm-bench-curriculum';
  version: 1;
  args: Omit<CurriculumArgs, 'out' | 'threads' | 'merge'>;
  records: CurriculumRecord[];
}

/**
 * Reads `path`; throws, naming the file, when it is missing, not valid JSON, or not a curriculum
 * results file.
 */
export function readCurriculumFile(path: string): CurriculumFile {
  let file: CurriculumFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as CurriculumFile;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}); move it away to start over`);
  }
  if (file === null || typeof file !== 'object' || file.format !== 'pfm-bench-curriculum' || file.version !== 1 || !Array.isArray(file.records) || typeof file.args !== 'object' || file.args === null) {
    throw new Error(`${path}: not a curriculum results file (format pfm-bench-curriculum, version 1, args and records); move it away to start over`);
  }
  return file;
}

/** The settings that must agree for two folders' runs to share a table. */
function settingsLabel(args: CurriculumFile['args']): string {
  return `${args.steps} steps, batch ${args.batchSize}, ${args.trainSize} training points, ${args.samples} samples`;
}

/**
 * Reads `curriculum.json` in every folder of `dirs`, merges the records and writes
 * `curriculum.json` and `curriculum.md` in `out` (which may be one of `dirs`). Returns the merged
 * records. Throws, naming the folder, when a folder has no results file, a file is not a curriculum
 * results file, or the folders' settings differ.
 */
export function mergeCurriculum(dirs: readonly string[], out: string, log: (line: string) => void): CurriculumRecord[] {
  if (dirs.length === 0) throw new Error('--merge: expected at least one folder holding a curriculum.json');
  let first: CurriculumFile | undefined;
  const sources = dirs.map((dir) => {
    const path = join(dir, 'curriculum.json');
    if (!existsSync(path)) throw new Error(`--merge: ${dir} has no curriculum.json (expected the --out folder of a curriculum run)`);
    const file = readCurriculumFile(path);
    first ??= file;
    return { dir, records: file.records, settings: settingsLabel(file.args) };
  });
  const { records } = mergeRecords(sources, (record) => JSON.stringify([record.target, record.method, record.variant, record.seed]), log);
  const seeds = [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
  const args = { ...first!.args, seeds };
  const file: CurriculumFile = { format: 'pfm-bench-curriculum', version: 1, args, records };
  const header = `# Curriculum suite\n\nMerged from ${dirs.length} folders: ${settingsLabel(args)}, seeds ${seeds.join(', ')}.`;
  mkdirSync(out, { recursive: true });
  writeAtomic(join(out, 'curriculum.json'), `${JSON.stringify(file, null, 2)}\n`);
  writeAtomic(join(out, 'curriculum.md'), `${curriculumMarkdown(records, header)}\n`);
  return records;
}
