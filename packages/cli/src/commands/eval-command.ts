import * as tf from '@tensorflow/tfjs-core';
import { createRng, DataFileError, groupRowsByClass, type DataTable, type Discrepancy } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { evalSpec } from './eval-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { booleanFlag, integerFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { readJsonObject } from '../io/read-json-object.js';
import { warnDegenerateData } from '../cli/warn-degenerate-data.js';
import { readLabelsFile } from '../train/read-labels-file.js';
import { classAccuracy, CLASS_ACCURACY_METRIC } from '../eval/class-accuracy.js';

/**
 * At most `max` rows of `table`, drawn uniformly without replacement by a seeded permutation
 * (kept in file order), with their labels when `labels` are given; the table itself when it has no more rows.
 */
function subsample(table: DataTable, max: number | undefined, seed: number, labels?: Int32Array): { values: Float32Array; rows: number; labels?: Int32Array } {
  if (max === undefined || table.rows <= max) return { values: table.values, rows: table.rows, ...(labels ? { labels } : {}) };
  const picked = createRng(seed).permutation(table.rows).subarray(0, max).sort();
  const values = new Float32Array(max * table.cols);
  picked.forEach((row, k) => values.set(table.values.subarray(row * table.cols, (row + 1) * table.cols), k * table.cols));
  return { values, rows: max, ...(labels ? { labels: Int32Array.from(picked, (row) => labels[row]!) } : {}) };
}

/** The metric between the rows `rowsA` of `a` and `rowsB` of `b` (all rows when absent). */
function evaluate(discrepancy: Discrepancy, a: { values: Float32Array; rows: number }, b: { values: Float32Array; rows: number }, cols: number, rowsA?: number[], rowsB?: number[]): number {
  const value = tf.tidy(() => {
    const pick = (points: { values: Float32Array; rows: number }, rows: number[] | undefined) => {
      const all = tf.tensor2d(points.values, [points.rows, cols]);
      return rows ? (tf.gather(all, tf.tensor1d(rows, 'int32')) as tf.Tensor2D) : all;
    };
    return discrepancy(pick(a, rowsA), pick(b, rowsB));
  });
  try {
    return value.dataSync()[0]!;
  } finally {
    value.dispose();
  }
}

/**
 * The metric per class (the classes of `labelsA` and `labelsB`, which must be the same set) and its
 * unweighted mean over classes, (1/K) Σ_c D({a_i : c_i = c}, {b_j : c_j = c}).
 */
function perClass(
  discrepancy: Discrepancy,
  a: { values: Float32Array; rows: number; labels?: Int32Array },
  b: { values: Float32Array; rows: number; labels?: Int32Array },
  cols: number,
  names: { a: string; b: string },
): { value: number; classes: { label: number; value: number; n: number; m: number }[] } {
  const groupsA = groupRowsByClass(a.labels!);
  const groupsB = new Map(groupRowsByClass(b.labels!).map((g) => [g.label, g.rows]));
  const inA = new Set(groupsA.map((g) => g.label));
  for (const [label, rows] of groupsB) {
    if (!inA.has(label)) throw new CliError(`--labels-b ${names.b}: class ${label} has ${rows.length} point(s) in --b and none in --a; a per-class metric needs every class on both sides`);
  }
  const classes = groupsA.map(({ label, rows }) => {
    const other = groupsB.get(label);
    if (!other) throw new CliError(`--labels ${names.a}: class ${label} has ${rows.length} point(s) in --a and none in --b; a per-class metric needs every class on both sides`);
    return { label, value: evaluate(discrepancy, a, b, cols, rows, other), n: rows.length, m: other.length };
  });
  return { value: classes.reduce((sum, c) => sum + c.value, 0) / classes.length, classes };
}

/** `pfm eval --metric ID --a FILE --b FILE [--labels FILE --labels-b FILE] [--config FILE.json] [--max-points N] [--seed S] [--json]`. */
export const evalCommand: CommandSpec = {
  ...evalSpec,
  async run({ values, registry, io, verbose }) {
    const metric = requiredFlag(values, 'metric', 'eval');
    if (metric === CLASS_ACCURACY_METRIC) return evalClassAccuracy(values, io, verbose);
    const pathA = requiredFlag(values, 'a', 'eval');
    const pathB = requiredFlag(values, 'b', 'eval');
    const configPath = stringFlag(values, 'config');
    const maxPoints = integerFlag(stringFlag(values, 'max-points'), '--max-points', { min: 1 });
    const seed = integerFlag(stringFlag(values, 'seed'), '--seed') ?? 0;
    const labelsPathA = stringFlag(values, 'labels');
    const labelsPathB = stringFlag(values, 'labels-b');
    if ((labelsPathA === undefined) !== (labelsPathB === undefined)) {
      throw new CliError(`${labelsPathA === undefined ? '--labels-b' : '--labels'} needs ${labelsPathA === undefined ? '--labels' : '--labels-b'}: a per-class metric needs the class of every row of --a (--labels) and of --b (--labels-b)`);
    }
    const options = configPath ? await readJsonObject(configPath) : {};
    const discrepancy = registry.create('discrepancy', { id: metric, options }, {}, { options: configPath ?? 'options' });
    const a = await readDataFile(pathA);
    const b = await readDataFile(pathB);
    if (a.cols !== b.cols) {
      throw new DataFileError(`${pathB} has ${b.cols} column(s) but ${pathA} has ${a.cols}: the point clouds must have the same dimension`, { file: pathB });
    }
    warnDegenerateData(io, 'pfm eval', a.values, a.rows, a.cols, { name: pathA, images: a.shape !== undefined });
    warnDegenerateData(io, 'pfm eval', b.values, b.rows, b.cols, { name: pathB, images: b.shape !== undefined });
    const labelsA = labelsPathA !== undefined ? await readLabelsFile(labelsPathA, '--labels', a.rows) : undefined;
    const labelsB = labelsPathB !== undefined ? await readLabelsFile(labelsPathB, '--labels-b', b.rows) : undefined;
    const pointsA = subsample(a, maxPoints, seed, labelsA);
    const pointsB = subsample(b, maxPoints, seed + 1, labelsB);
    const start = performance.now();
    const split = labelsA ? perClass(discrepancy, pointsA, pointsB, a.cols, { a: labelsPathA!, b: labelsPathB! }) : undefined;
    const result = split ? split.value : evaluate(discrepancy, pointsA, pointsB, a.cols);
    const seconds = (performance.now() - start) / 1000;
    const finite = (v: number) => (Number.isFinite(v) ? v : String(v));
    if (split && verbose) {
      for (const c of split.classes) io.stderr(`class ${c.label}: ${metric} ${c.value} (n ${c.n}, m ${c.m})\n`);
      io.stderr(`mean over ${split.classes.length} classes: ${result}\n`);
    }
    if (booleanFlag(values, 'json')) {
      const classes = split ? { perClass: split.classes.map((c) => ({ ...c, value: finite(c.value) })) } : {};
      io.stdout(`${JSON.stringify({ metric, value: finite(result), n: pointsA.rows, m: pointsB.rows, seconds: Number(seconds.toFixed(4)), ...classes })}\n`);
    } else {
      io.stdout(`${result}\n`);
    }
    return EXIT_CODES.ok;
  },
};

/** `pfm eval --metric class-accuracy --a IMAGES --labels DIGITS [--json]`. */
async function evalClassAccuracy(values: Parameters<typeof evalCommand.run>[0]['values'], io: Parameters<typeof evalCommand.run>[0]['io'], verbose: boolean): Promise<number> {
  const path = requiredFlag(values, 'a', 'eval');
  for (const flag of ['b', 'labels-b', 'config', 'max-points'] as const) {
    if (values[flag] !== undefined) throw new CliError(`--${flag}: --metric class-accuracy scores the images of --a against --labels alone; drop --${flag}`);
  }
  const labelsPath = stringFlag(values, 'labels');
  if (labelsPath === undefined) throw new CliError('--metric class-accuracy needs --labels FILE: the digit each row of --a was requested as');
  const table = await readDataFile(path);
  const labels = await readLabelsFile(labelsPath, '--labels', table.rows);
  const start = performance.now();
  const result = classAccuracy(table, path, labels, labelsPath);
  const seconds = (performance.now() - start) / 1000;
  if (verbose) for (const c of result.perClass) io.stderr(`digit ${c.label}: class accuracy ${c.value} (n ${c.n})\n`);
  if (booleanFlag(values, 'json')) {
    io.stdout(`${JSON.stringify({ metric: CLASS_ACCURACY_METRIC, value: result.value, n: table.rows, seconds: Number(seconds.toFixed(4)), perClass: result.perClass })}\n`);
  } else {
    io.stdout(`${result.value}\n`);
  }
  return EXIT_CODES.ok;
}
