import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { writeDataFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { integerFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { prepareDataOutput } from '../io/prepare-output.js';
import { readJsonObject } from '../io/read-json-object.js';

/** Largest -n of `pfm data` and `pfm sample` (a guard against typos such as -n 1e9 worth of rows). */
export const MAX_POINTS = 50_000_000;

/** `pfm data <dataset-id> -n N [--seed S] [--config OPTIONS.json] --out FILE`. */
export const dataCommand: CommandSpec = {
  name: 'data',
  summary: 'write N points of a toy data set to a CSV, JSON or NPY file',
  usage: 'pfm data <dataset-id> -n N [--seed S] [--config OPTIONS.json] --out FILE',
  description:
    'Draws N points of a registered data set (pfm list --kind dataset) with a seeded generator and writes\n' +
    'them to FILE, the format chosen by its extension (.csv, .json, .npy). The same id, N and seed give the\n' +
    'same points on the same backend. --config is a JSON object of the data set\'s options.',
  positionals: [{ name: 'dataset-id', required: true }],
  flags: {
    count: { type: 'string', short: 'n', value: 'N', description: 'number of points (required)' },
    seed: { type: 'string', value: 'S', description: 'random seed (integer, default 0)' },
    config: { type: 'string', value: 'FILE.json', description: "the data set's options as a JSON object" },
    out: { type: 'string', value: 'FILE', description: 'output file: .csv, .json or .npy (required)' },
  },
  compute: true,
  examples: ['pfm data moons -n 2000 --seed 0 --out moons.csv', 'pfm data 8gaussians -n 10000 --out 8g.npy'],
  async run({ values, positionals, registry, io }) {
    const id = positionals[0];
    if (id === undefined) throw new CliError('missing the data set id: pfm data <dataset-id> -n N --out FILE (ids: pfm list --kind dataset)');
    const n = integerFlag(requiredFlag(values, 'count', 'data', '-n'), '-n', { min: 1, max: MAX_POINTS })!;
    const seed = integerFlag(stringFlag(values, 'seed'), '--seed') ?? 0;
    const out = requiredFlag(values, 'out', 'data');
    const configPath = stringFlag(values, 'config');
    const options = configPath ? await readJsonObject(configPath) : {};
    const measure = registry.create('dataset', { id, options }, undefined, { options: configPath ?? 'options' });
    await prepareDataOutput(out);

    const points = measure.sample(n, createRng(seed));
    let values32: Float32Array;
    try {
      values32 = Float32Array.from(points.dataSync());
    } finally {
      tf.dispose(points);
    }
    await writeDataFile(out, { rows: n, cols: measure.dim, values: values32 });
    io.stderr(`wrote ${n} points of ${id} (dim ${measure.dim}, seed ${seed}) to ${out}\n`);
    return EXIT_CODES.ok;
  },
};
