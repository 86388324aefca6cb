// Merges the results of curriculum runs made apart (split by seeds, objectives or variants over
// several processes, each with its own --out) into one `curriculum.json` and `curriculum.md`. A run
// is the same run in two folders when its target, method, variant and seed agree: a finished record
// is kept over a failed one, and of two finished ones the folder listed later wins. Runs made with
// other settings (steps, batch, training points, samples) do not belong in one table, so folders
// whose settings differ are refused (the plane's and the MNIST settings apart: a folder of MNIST
// runs only may be merged with folders of point runs made with other point settings).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CURRICULUM_MNIST_DEFAULTS, type CurriculumArgs } from './curriculum-args.js';
import { curriculumMarkdown, type CurriculumRecord } from './curriculum-summary.js';
import { mergeRecords } from '../report/merge-records.js';
import { writeAtomic } from '../report/write-atomic.js';

/** `curriculum.json`: format, version, the settings of the suite that wrote it, and its records. */
export interface CurriculumFile {
  format: 'pfm-bench-curriculum';
  version: 1;
  /** The suite's settings (`mnist` absent in files written before the MNIST target). */
  args: Omit<CurriculumArgs, 'out' | 'threads' | 'merge' | 'mnist'> & Partial<Pick<CurriculumArgs, 'mnist'>>;
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

/** The settings that must agree for two folders' runs on the plane's targets to share a table. */
function settingsLabel(args: CurriculumFile['args']): string {
  return `${args.steps} steps, batch ${args.batchSize}, ${args.trainSize} training points, ${args.samples} samples`;
}

/** The same for the MNIST runs (files written before the MNIST target have none). */
function mnistSettingsLabel(args: CurriculumFile['args']): string {
  const m = args.mnist ?? CURRICULUM_MNIST_DEFAULTS;
  return `MNIST ${m.steps} steps, batch ${m.batchSize}, ${m.trainSize} training digits, ${m.samples} samples`;
}

/**
 * Throws when two folders holding runs of the same kind (the plane's targets, or MNIST) were run
 * with different settings of that kind; a folder's settings of the kind it has no runs of do not count.
 */
function checkSettings(sources: readonly { dir: string; file: CurriculumFile }[]): void {
  for (const [mnist, label] of [[false, settingsLabel], [true, mnistSettingsLabel]] as const) {
    const seen = new Map<string, string>();
    for (const { dir, file } of sources) {
      if (file.records.some((r) => (r.target === 'mnist') === mnist)) seen.set(label(file.args), seen.get(label(file.args)) ?? dir);
    }
    if (seen.size > 1) {
      const found = [...seen].map(([l, dir]) => `${l} (${dir})`).join('; ');
      throw new Error(`--merge: the folders were run with different settings, which do not belong in one table: ${found}`);
    }
  }
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
  const files = dirs.map((dir) => {
    const path = join(dir, 'curriculum.json');
    if (!existsSync(path)) throw new Error(`--merge: ${dir} has no curriculum.json (expected the --out folder of a curriculum run)`);
    const file = readCurriculumFile(path);
    first ??= file;
    return { dir, file };
  });
  checkSettings(files);
  const sources = files.map(({ dir, file }) => ({ dir, records: file.records, settings: '' }));
  const { records } = mergeRecords(sources, (record) => JSON.stringify([record.target, record.method, record.variant, record.seed]), log);
  const seeds = [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
  // The settings of the folders that hold each kind of run (checked equal above).
  const points = files.find(({ file }) => file.records.some((r) => r.target !== 'mnist'))?.file ?? first!;
  const digits = files.find(({ file }) => file.records.some((r) => r.target === 'mnist'))?.file;
  const args = { ...points.args, ...(digits?.args.mnist ? { mnist: digits.args.mnist } : {}), seeds };
  const file: CurriculumFile = { format: 'pfm-bench-curriculum', version: 1, args, records };
  const labels = [...(records.some((r) => r.target !== 'mnist') ? [settingsLabel(args)] : []), ...(records.some((r) => r.target === 'mnist') ? [mnistSettingsLabel(args)] : [])];
  const header = `# Curriculum suite\n\nMerged from ${dirs.length} folders: ${labels.join('; ')}, seeds ${seeds.join(', ')}.`;
  mkdirSync(out, { recursive: true });
  writeAtomic(join(out, 'curriculum.json'), `${JSON.stringify(file, null, 2)}\n`);
  writeAtomic(join(out, 'curriculum.md'), `${curriculumMarkdown(records, header)}\n`);
  return records;
}
