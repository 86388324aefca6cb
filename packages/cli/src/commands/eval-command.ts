import * as tf from '@tensorflow/tfjs-core';
import { createRng, DataFileError, type DataTable } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { booleanFlag, integerFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { readJsonObject } from '../io/read-json-object.js';
import { warnDegenerateData } from '../cli/warn-degenerate-data.js';

/**
 * At most `max` rows of `table`, drawn uniformly without replacement by a seeded permutation
 * (kept in file order); the table itself when it has no more rows.
 */
function subsample(table: DataTable, max: number | undefined, seed: number): { values: Float32Array; rows: number } {
  if (max === undefined || table.rows <= max) return { values: table.values, rows: table.rows };
  const picked = createRng(seed).permutation(table.rows).subarray(0, max).sort();
  const values = new Float32Array(max * table.cols);
  picked.forEach((row, k) => values.set(table.values.subarray(row * table.cols, (row + 1) * table.cols), k * table.cols));
  return { values, rows: max };
}

/** `pfm eval --metric ID --a FILE --b FILE [--config FILE.json] [--max-points N] [--seed S] [--json]`. */
export const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'compare two point clouds with a metric (a "discrepancy" id: MMD, energy distance, Sinkhorn, …)',
  usage: 'pfm eval --metric ID --a FILE --b FILE [--config FILE.json] [--max-points N] [--seed S] [--json]',
  description:
    'Reads two data files of the same dimension and prints the discrepancy --metric between their points\n' +
    '(pfm list --kind discrepancy). --config is a JSON object of the metric\'s options. With --json, prints\n' +
    '{ metric, value, n, m, seconds } (n and m the numbers of points compared). --max-points N compares a\n' +
    'uniform subsample of at most N points of each file (seeded by --seed, default 0): pairwise metrics\n' +
    'cost n·m, so a million rows against a million would take hours.',
  positionals: [],
  flags: {
    metric: { type: 'string', value: 'ID', description: 'a "discrepancy" id (required)' },
    a: { type: 'string', value: 'FILE', description: 'first point cloud: .csv, .json or .npy (required)' },
    b: { type: 'string', value: 'FILE', description: 'second point cloud (required)' },
    config: { type: 'string', value: 'FILE.json', description: "the metric's options as a JSON object" },
    'max-points': { type: 'string', value: 'N', description: 'compare a seeded uniform subsample of at most N points of each file' },
    seed: { type: 'string', value: 'S', description: 'seed of --max-points (integer, default 0)' },
    json: { type: 'boolean', description: 'print one JSON object instead of the bare value' },
  },
  compute: true,
  examples: ['pfm eval --metric energy --a data.csv --b samples.csv', 'pfm eval --metric mmd --config mmd.json --a a.npy --b b.npy --json'],
  async run({ values, registry, io }) {
    const metric = requiredFlag(values, 'metric', 'eval');
    const pathA = requiredFlag(values, 'a', 'eval');
    const pathB = requiredFlag(values, 'b', 'eval');
    const configPath = stringFlag(values, 'config');
    const maxPoints = integerFlag(stringFlag(values, 'max-points'), '--max-points', { min: 1 });
    const seed = integerFlag(stringFlag(values, 'seed'), '--seed') ?? 0;
    const options = configPath ? await readJsonObject(configPath) : {};
    const discrepancy = registry.create('discrepancy', { id: metric, options }, {}, { options: configPath ?? 'options' });
    const a = await readDataFile(pathA);
    const b = await readDataFile(pathB);
    if (a.cols !== b.cols) {
      throw new DataFileError(`${pathB} has ${b.cols} column(s) but ${pathA} has ${a.cols}: the point clouds must have the same dimension`, { file: pathB });
    }
    warnDegenerateData(io, 'pfm eval', a.values, a.rows, a.cols, { name: pathA, images: a.shape !== undefined });
    warnDegenerateData(io, 'pfm eval', b.values, b.rows, b.cols, { name: pathB, images: b.shape !== undefined });
    const pointsA = subsample(a, maxPoints, seed);
    const pointsB = subsample(b, maxPoints, seed + 1);
    const start = performance.now();
    const value = tf.tidy(() => {
      const x = tf.tensor2d(pointsA.values, [pointsA.rows, a.cols]);
      const y = tf.tensor2d(pointsB.values, [pointsB.rows, b.cols]);
      return discrepancy(x, y);
    });
    let result: number;
    try {
      result = value.dataSync()[0]!;
    } finally {
      value.dispose();
    }
    const seconds = (performance.now() - start) / 1000;
    if (booleanFlag(values, 'json')) {
      io.stdout(`${JSON.stringify({ metric, value: Number.isFinite(result) ? result : String(result), n: pointsA.rows, m: pointsB.rows, seconds: Number(seconds.toFixed(4)) })}\n`);
    } else {
      io.stdout(`${result}\n`);
    }
    return EXIT_CODES.ok;
  },
};
