// Merges the results of parity runs made apart (one seed or one method per process, say) into one
// `parity.json` and `parity.md`. A run is the same run in two folders when its key is (target, d,
// method, seed, side and the settings steps, training points, samples): a finished record is kept
// over a failed one, and of two finished ones the folder listed later wins. Runs made with other
// settings do not belong in one table, so folders whose settings differ are refused.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readParityFile, type ParityFile } from './parity-file.js';
import { parityMarkdown, parityRows, type ParityRecord } from './parity-summary.js';
import { mergeRecords } from '../report/merge-records.js';
import { writeAtomic } from '../report/write-atomic.js';

/** The key entry of runs whose two sides sampled from one noise (--common-noise). */
export const COMMON_NOISE = 'common-noise';

interface KeySettings {
  steps: number;
  trainSize: number;
  samples: number;
  dataSeed?: number;
  commonNoise: boolean;
}

/** The settings part of a record key: steps, training points, samples (then the data seed, when fixed, and the common-noise mark). */
function settingsOf(key: string, where: string): KeySettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    parsed = null;
  }
  const settings = Array.isArray(parsed) ? parsed.slice(5) : [];
  const commonNoise = settings[settings.length - 1] === COMMON_NOISE;
  const numbers = commonNoise ? settings.slice(0, -1) : settings;
  if (!Array.isArray(parsed) || parsed.length < 8 || (numbers.length !== 3 && numbers.length !== 4) || !numbers.every((v) => Number.isInteger(v))) {
    throw new Error(`${where}: record key ${JSON.stringify(key)} is not [target, dim, method, seed, side, steps, trainSize, samples(, dataSeed)(, "${COMMON_NOISE}")]`);
  }
  const [steps, trainSize, samples, dataSeed] = numbers as number[];
  return { steps: steps!, trainSize: trainSize!, samples: samples!, ...(dataSeed === undefined ? {} : { dataSeed }), commonNoise };
}

/**
 * Reads `parity.json` in every folder of `dirs`, merges the records and writes `parity.json` and
 * `parity.md` in `out` (which may be one of `dirs`). Returns the merged records. Throws, naming
 * the folder, when a folder has no results file, a file is not a parity results file, or the
 * folders' settings (steps, training points, samples) differ.
 */
export function mergeParity(dirs: readonly string[], out: string, log: (line: string) => void): ParityRecord[] {
  if (dirs.length === 0) throw new Error('--merge: expected at least one folder holding a parity.json');
  const sources = dirs.map((dir) => {
    const path = join(dir, 'parity.json');
    if (!existsSync(path)) throw new Error(`--merge: ${dir} has no parity.json (expected the --out folder of a parity run)`);
    return {
      dir,
      records: readParityFile(path).records,
      settings: (record: ParityFile['records'][number]) => {
        const { steps, trainSize, samples, dataSeed, commonNoise } = settingsOf(record.key, path);
        return `steps ${steps}, training set ${trainSize}, ${samples} samples${dataSeed === undefined ? '' : `, data seed ${dataSeed}`}${commonNoise ? ', common sample noise' : ''}`;
      },
    };
  });
  const { records, settings } = mergeRecords(sources, (record) => record.key, log);
  const file: ParityFile = { format: 'pfm-bench-parity', version: 1, records };
  const notes = [`merged from ${dirs.length} folders; ${settings ?? 'no records'}`];
  mkdirSync(out, { recursive: true });
  writeAtomic(join(out, 'parity.json'), `${JSON.stringify(file, null, 1)}\n`);
  writeAtomic(join(out, 'parity.md'), parityMarkdown(parityRows(file.records), notes));
  return file.records;
}
