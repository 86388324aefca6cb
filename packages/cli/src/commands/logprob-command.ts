import * as tf from '@tensorflow/tfjs-core';
import { checkDimension, createRng, type Rng } from '@pfm/core';
import { readDataFile, writeDataFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { requiredFlag } from '../cli/flag-values.js';
import { loadModelFile } from '../io/load-model.js';
import { prepareDataOutput } from '../io/prepare-output.js';

/** Rows per logProb call, so a big file never needs one huge batch of intermediate tensors. */
const CHUNK_ROWS = 4096;

/** Seed of the dequantisation noise of the bits/dim report: chunk c draws from createRng(BITS_PER_DIM_SEED).fold(c). */
const BITS_PER_DIM_SEED = 0;

/** Models trained on dequantised pixels (flows with `preprocess`, VAEs with `dequantize`) report bits per dimension. */
type BitsPerDim = (x: tf.Tensor2D, rng: Rng) => tf.Tensor1D;

/** `pfm logprob --model MODEL.json --data FILE --out FILE`. */
export const logprobCommand: CommandSpec = {
  name: 'logprob',
  summary: 'log density of a model at each point of a data file (models with a density)',
  usage: 'pfm logprob --model MODEL.json --data FILE --out FILE',
  description:
    'Writes log p(x) of the model at every row x of --data to --out (.csv with a "logprob" header, .json or\n' +
    '.npy; one column). Only for models with a density (normalizing flows, VAEs, every flow model): other models are an error.\n' +
    'Models trained on dequantised pixels also report their mean bits per dimension on stderr (fixed noise seed).',
  positionals: [],
  flags: {
    model: { type: 'string', value: 'MODEL.json', description: 'the model file (required)' },
    data: { type: 'string', value: 'FILE', description: 'points: .csv, .json or .npy (required)' },
    out: { type: 'string', value: 'FILE', description: 'output file: .csv, .json or .npy (required)' },
  },
  compute: true,
  examples: ['pfm logprob --model realnvp.json --data moons.csv --out logp.csv'],
  // A signal stops the command at once (it runs off the main thread); --out loses its temporary.
  outputs: (values) => (typeof values.out === 'string' ? [values.out] : []),
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
      const bitsPerDim = (model as { bitsPerDim?: BitsPerDim }).bitsPerDim?.bind(model);
      const start = performance.now();
      const result = new Float32Array(table.rows);
      let bitsSum = 0;
      for (let row = 0; row < table.rows; row += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, table.rows - row);
        const chunk = tf.tidy(() => logProb(tf.tensor2d(table.values.subarray(row * table.cols, (row + rows) * table.cols), [rows, table.cols])));
        try {
          result.set(chunk.dataSync(), row);
        } finally {
          chunk.dispose();
        }
        if (bitsPerDim) {
          const rng = createRng(BITS_PER_DIM_SEED).fold(row / CHUNK_ROWS);
          bitsSum += tf.tidy(() => tf.sum(bitsPerDim(tf.tensor2d(table.values.subarray(row * table.cols, (row + rows) * table.cols), [rows, table.cols]), rng)).dataSync()[0]!);
        }
      }
      const seconds = (performance.now() - start) / 1000;
      await writeDataFile(out, { rows: table.rows, cols: 1, values: result, header: ['logprob'] });
      let sum = 0;
      for (const v of result) sum += v;
      const bits = bitsPerDim ? `, ${(bitsSum / table.rows).toFixed(4)} bits/dim of the dequantised data` : '';
      io.stderr(`wrote log p(x) of the ${model.method} model at ${table.rows} points to ${out} (mean ${(sum / table.rows).toFixed(4)}${bits}, ${seconds.toFixed(3)} s)\n`);
    } finally {
      model.dispose();
    }
    return EXIT_CODES.ok;
  },
};
