// results.json: read (validated) on start so finished runs are skipped; written atomically
// (temporary file, then rename) after every run so an interruption loses at most the current run.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resultsFileSchema, type ResultsFile, type RunRecord } from './results-schema.js';

/** Reads `path`; an absent file is an empty result set, an invalid one an error naming the field. */
export function readResults(path: string): ResultsFile {
  if (!existsSync(path)) return { format: 'pfm-bench-results', version: 1, records: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message}); move it away to start over`);
  }
  const parsed = resultsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: not a bench results file: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Validates and writes `records` to `path` atomically. */
export function writeResults(path: string, records: readonly RunRecord[]): void {
  const file = resultsFileSchema.parse({ format: 'pfm-bench-results', version: 1, records });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 1)}\n`);
  renameSync(tmp, path);
}
