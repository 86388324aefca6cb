import * as tf from '@tensorflow/tfjs-core';
import { DataFileError } from '@pfm/core';
import { readDataFile } from '@pfm/core/node';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { booleanFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { readJsonObject } from '../io/read-json-object.js';

/** `pfm eval --metric ID --a FILE --b FILE [--config FILE.json] [--json]`. */
export const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'compare two point clouds with a metric (a "discrepancy" id: MMD, energy distance, Sinkhorn, …)',
  usage: 'pfm eval --metric ID --a FILE --b FILE [--config FILE.json] [--json]',
  description:
    'Reads two data files of the same dimension and prints the discrepancy --metric between their points\n' +
    '(pfm list --kind discrepancy). --config is a JSON object of the metric\'s options. With --json, prints\n' +
    '{ metric, value, n, m, seconds } (n and m the numbers of points of --a and --b).',
  positionals: [],
  flags: {
    metric: { type: 'string', value: 'ID', description: 'a "discrepancy" id (required)' },
    a: { type: 'string', value: 'FILE', description: 'first point cloud: .csv, .json or .npy (required)' },
    b: { type: 'string', value: 'FILE', description: 'second point cloud (required)' },
    config: { type: 'string', value: 'FILE.json', description: "the metric's options as a JSON object" },
    json: { type: 'boolean', description: 'print one JSON object instead of the bare value' },
  },
  compute: true,
  examples: ['pfm eval --metric energy-distance --a data.csv --b samples.csv', 'pfm eval --metric mmd --config mmd.json --a a.npy --b b.npy --json'],
  async run({ values, registry, io }) {
    const metric = requiredFlag(values, 'metric', 'eval');
    const pathA = requiredFlag(values, 'a', 'eval');
    const pathB = requiredFlag(values, 'b', 'eval');
    const configPath = stringFlag(values, 'config');
    const entry = registry.get('discrepancy', metric);
    const options = registry.parseOptions('discrepancy', metric, configPath ? await readJsonObject(configPath) : {}, configPath ?? 'options');
    const a = await readDataFile(pathA);
    const b = await readDataFile(pathB);
    if (a.cols !== b.cols) {
      throw new DataFileError(`${pathB} has ${b.cols} column(s) but ${pathA} has ${a.cols}: the point clouds must have the same dimension`, { file: pathB });
    }
    const discrepancy = entry.create(options, { registry });
    const start = performance.now();
    const value = tf.tidy(() => {
      const x = tf.tensor2d(a.values, [a.rows, a.cols]);
      const y = tf.tensor2d(b.values, [b.rows, b.cols]);
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
      io.stdout(`${JSON.stringify({ metric, value: Number.isFinite(result) ? result : String(result), n: a.rows, m: b.rows, seconds: Number(seconds.toFixed(4)) })}\n`);
    } else {
      io.stdout(`${result}\n`);
    }
    return EXIT_CODES.ok;
  },
};
