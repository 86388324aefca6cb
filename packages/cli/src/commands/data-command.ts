import * as tf from '@tensorflow/tfjs-core';
import { createRng, dataFormatFromPath, encodeDataFile, type ConditionalSource, type DataTable, type Measure, type Registry } from '@pfm/core';
import { writeFileAtomic } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { integerFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { prepareDataOutput } from '../io/prepare-output.js';
import { readJsonObject } from '../io/read-json-object.js';

/** Largest -n of `pfm data` and `pfm sample` (a guard against typos such as -n 1e9 worth of rows). */
export const MAX_POINTS = 50_000_000;

// The fixed set of points of a finite data set (an empirical measure such as mnist), if it has one.
function fixedPoints(measure: Measure): tf.Tensor2D | undefined {
  const data = (measure as { data?: unknown }).data;
  return data instanceof tf.Tensor && data.rank === 2 ? (data as tf.Tensor2D) : undefined;
}

// Whether the data set's options have a `split` field (mnist), so --split applies to it.
function hasSplit(registry: Registry, id: string): boolean {
  const shape = (registry.get('dataset', id).schema as { shape?: Record<string, unknown> }).shape;
  return shape !== undefined && Object.hasOwn(shape, 'split');
}

/** `pfm data <dataset-id> [-n N] [--seed S] [--config OPTIONS.json] [--split SPLIT] --out FILE`. */
export const dataCommand: CommandSpec = {
  name: 'data',
  summary: 'write the points of a data set (N seeded draws, or all of a fixed set such as mnist) to a CSV, JSON or NPY file',
  usage: 'pfm data <dataset-id> [-n N] [--seed S] [--config OPTIONS.json] [--split train|test|all] --out FILE',
  description:
    'Draws N points of a registered data set (pfm list --kind dataset) with a seeded generator and writes\n' +
    'them to FILE, the format chosen by its extension (.csv, .json, .npy). The same id, N and seed give the\n' +
    'same points on the same backend. --config is a JSON object of the data set\'s options. A data set with a\n' +
    'fixed set of points (mnist) is written whole and in order without -n (with -n, N seeded draws of it);\n' +
    '--split chooses its part (mnist: train, the 9,000 images whose index i has i mod 10 ≠ 9 [default]; test,\n' +
    'the other 1,000; all). Images keep their shape in .npy, (n, h, w, c); CSV and JSON hold one flat row of\n' +
    'h·w·c values per image (row-major, channels last). --labels writes the label of each row of such a set\n' +
    '(one column, in the same order) to a second file, and of each drawn point of a labelled set (8gaussians:\n' +
    'its mode, moons: its moon, checkerboard: its cell), for pfm train --labels.',
  positionals: [{ name: 'dataset-id', required: true }],
  flags: {
    count: { type: 'string', short: 'n', value: 'N', description: 'number of points (required, except for a fixed set such as mnist)' },
    seed: { type: 'string', value: 'S', description: 'random seed (integer, default 0)' },
    config: { type: 'string', value: 'FILE.json', description: "the data set's options as a JSON object" },
    split: { type: 'string', value: 'SPLIT', description: 'the part of a data set with splits (mnist): train, test or all' },
    labels: { type: 'string', value: 'FILE', description: 'also write the label of each row (mnist digit; 8gaussians mode, moons moon, checkerboard cell)' },
    out: { type: 'string', value: 'FILE', description: 'output file: .csv, .json or .npy (required)' },
  },
  compute: true,
  examples: [
    'pfm data moons -n 2000 --seed 0 --out moons.csv',
    'pfm data 8gaussians -n 10000 --out 8g.npy',
    'pfm data mnist --split test --out digits.npy --labels digit-labels.csv',
  ],
  async run({ values, positionals, registry, io }) {
    const id = positionals[0];
    if (id === undefined) throw new CliError('missing the data set id: pfm data <dataset-id> -n N --out FILE (ids: pfm list --kind dataset)');
    const n = integerFlag(stringFlag(values, 'count'), '-n', { min: 1, max: MAX_POINTS });
    const seed = integerFlag(stringFlag(values, 'seed'), '--seed') ?? 0;
    const out = requiredFlag(values, 'out', 'data');
    const configPath = stringFlag(values, 'config');
    const split = stringFlag(values, 'split');
    const options = configPath ? await readJsonObject(configPath) : {};
    if (split !== undefined) {
      registry.get('dataset', id);
      if (!hasSplit(registry, id)) throw new CliError(`--split does not apply to ${id}: it has no splits (--split applies to data sets with a "split" option, such as mnist)`);
      options.split = split;
    }
    const labelsOut = stringFlag(values, 'labels');
    await prepareDataOutput(out);
    if (labelsOut !== undefined) await prepareDataOutput(labelsOut);
    const measure = registry.create('dataset', { id, options }, undefined, { options: configPath ?? 'options' });
    try {
      const fixed = fixedPoints(measure);
      if (n === undefined && fixed === undefined) throw new CliError('-n is required (see pfm data --help)');
      // Seeded draws of a labelled data set (8gaussians, moons, checkerboard) come with the class of each point.
      const labelled = n !== undefined && typeof (measure as Partial<ConditionalSource>).sampleWithCondition === 'function' ? (measure as ConditionalSource) : undefined;
      const drawn = labelled && labelsOut !== undefined ? labelled.sampleWithCondition(n!, createRng(seed)) : undefined;
      const labels = drawn ? Int32Array.from(drawn.condition.dataSync()) : (measure as { labels?: unknown }).labels;
      drawn?.condition.dispose();
      if (labelsOut !== undefined && !(labels instanceof Int32Array)) {
        drawn?.x.dispose();
        throw new CliError(`--labels: the data set ${id} has no labels`);
      }
      if (labelsOut !== undefined && n !== undefined && !drawn) {
        throw new CliError('--labels writes the labels of a whole data set, in order; leave out -n (seeded draws have no file of labels)');
      }
      if (labels instanceof Int32Array && fixed !== undefined && labels.length !== fixed.shape[0]) {
        throw new CliError(`--labels: the data set ${id} has ${labels.length} labels for ${fixed.shape[0]} rows`);
      }

      const points = drawn ? drawn.x : n === undefined ? fixed! : measure.sample(n, createRng(seed));
      let values32: Float32Array;
      try {
        values32 = Float32Array.from(points.dataSync());
      } finally {
        if (points !== fixed) tf.dispose(points);
      }
      const rows = points.shape[0];
      const shape = measure.eventShape;
      const table: DataTable = { rows, cols: measure.dim, values: values32, ...(shape !== undefined && shape.length === 3 ? { shape: [...shape] } : {}) };
      // Both files are encoded before either is written.
      const files: [string, Uint8Array][] = [[out, encodeDataFile(table, dataFormatFromPath(out))]];
      if (labelsOut !== undefined) {
        const labelTable: DataTable = { rows, cols: 1, values: Float32Array.from(labels as Int32Array), header: ['label'] };
        files.push([labelsOut, encodeDataFile(labelTable, dataFormatFromPath(labelsOut))]);
      }
      for (const [path, bytes] of files) await writeFileAtomic(path, bytes);
      const what = [
        ...(split !== undefined ? [`split ${split}`] : []),
        `dim ${measure.dim}`,
        ...(shape !== undefined ? [`shape [${shape.join(', ')}]`] : []),
        n === undefined ? 'all of them, in order' : `seed ${seed}`,
      ];
      io.stderr(`wrote ${rows} points of ${id} (${what.join(', ')}) to ${out}${labelsOut !== undefined ? ` and their labels to ${labelsOut}` : ''}\n`);
    } finally {
      (measure as { dispose?: () => void }).dispose?.();
    }
    return EXIT_CODES.ok;
  },
};
