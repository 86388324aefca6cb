import * as tf from '@tensorflow/tfjs-core';
import { checkDimension } from '@pfm/core';
import { readDataFile, writeDataFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { requiredFlag } from '../cli/flag-values.js';
import { loadModelFile } from '../io/load-model.js';
import { prepareDataOutput } from '../io/prepare-output.js';

/** Rows per logProb call, so a big file never needs one huge batch of intermediate tensors. */
const CHUNK_ROWS = 4096;

/** `pfm logprob --model MODEL.json --data FILE --out FILE`. */
export const logprobCommand: CommandSpec = {
  name: 'logprob',
  summary: 'log density of a model at each point of a data file (models with a density)',
  usage: 'pfm logprob --model MODEL.json --data FILE --out FILE',
  description:
    'Writes log p(x) of the model at every row x of --data to --out (.csv with a "logprob" header, .json or\n' +
    '.npy; one column). Only for models with a density (normalizing flows, CNFs, …): other models are an error.',
  positionals: [],
  flags: {
    model: { type: 'string', value: 'MODEL.json', description: 'the model file (required)' },
    data: { type: 'string', value: 'FILE', description: 'points: .csv, .json or .npy (required)' },
    out: { type: 'string', value: 'FILE', description: 'output file: .csv, .json or .npy (required)' },
  },
  compute: true,
  examples: ['pfm logprob --model realnvp.json --data moons.csv --out logp.csv'],
  async run({ values, registry, io }) {
    const modelPath = requiredFlag(values, 'model', 'logprob');
    const dataPath = requiredFlag(values, 'data', 'logprob');
    const out = requiredFlag(values, 'out', 'logprob');
    await prepareDataOutput(out);
    const model = await loadModelFile(modelPath, registry);
    try {
      const logProb = model.logProb?.bind(model);
      if (!logProb) {
        throw new CliError(`${modelPath}: the ${model.method} model has no density (no logProb); pfm logprob needs a model of a method with one, such as a normalizing flow`);
      }
      const table = await readDataFile(dataPath);
      checkDimension(table, model.dim, dataPath);
      const start = performance.now();
      const result = new Float32Array(table.rows);
      for (let row = 0; row < table.rows; row += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, table.rows - row);
        const chunk = tf.tidy(() => logProb(tf.tensor2d(table.values.subarray(row * table.cols, (row + rows) * table.cols), [rows, table.cols])));
        try {
          result.set(chunk.dataSync(), row);
        } finally {
          chunk.dispose();
        }
      }
      const seconds = (performance.now() - start) / 1000;
      await writeDataFile(out, { rows: table.rows, cols: 1, values: result, header: ['logprob'] });
      let sum = 0;
      for (const v of result) sum += v;
      io.stderr(`wrote log p(x) of the ${model.method} model at ${table.rows} points to ${out} (mean ${(sum / table.rows).toFixed(4)}, ${seconds.toFixed(3)} s)\n`);
    } finally {
      model.dispose();
    }
    return EXIT_CODES.ok;
  },
};
