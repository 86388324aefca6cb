import * as tf from '@tensorflow/tfjs-core';
import { checkDimension, createRng, type ConditionInput, type Model, type Rng } from '@pfm/core';
import { readDataFile, writeDataFile } from '@pfm/core/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { logprobSpec } from './logprob-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { booleanFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { warnDegenerateData } from '../cli/warn-degenerate-data.js';
import { loadModelFile } from '../io/load-model.js';
import { prepareDataOutput } from '../io/prepare-output.js';
import { readLabelsFile } from '../train/read-labels-file.js';
import { checkContext } from '../condition/context-condition.js';
import { readContextFile } from '../condition/read-context-file.js';

/** Rows per logProb call, so a big file never needs one huge batch of intermediate tensors. */
const CHUNK_ROWS = 4096;

/** Seed of the dequantisation noise of the bits/dim report: chunk c draws from createRng(BITS_PER_DIM_SEED).fold(c). */
const BITS_PER_DIM_SEED = 0;

/**
 * Models trained on dequantised pixels (flows with `preprocess`, VAEs with `dequantize`) report bits
 * per dimension. A conditional model takes the rows' condition: a flow's `bitsPerDim(x, rng, condition)`,
 * a VAE's `bitsPerDim(x, rng, samples, condition)` (its third argument is the bound's sample count).
 */
type BitsPerDim = (x: tf.Tensor2D, rng: Rng, ...rest: unknown[]) => tf.Tensor1D;

/** A conditional density model (RealNVP, NSF, VAE, IWAE trained with --labels): log p(x | c). */
type ConditionalLogProb = (x: tf.Tensor2D, condition: ConditionInput) => tf.Tensor1D;

/**
 * The labels of --labels checked against `model` (one per data row, each a class of the model), or
 * undefined for an unconditional model without --labels. CliError (exit 2, one line) otherwise.
 */
async function conditionLabels(model: Model, labelsPath: string | undefined, rows: number, modelPath: string): Promise<Int32Array | undefined> {
  const spec = model.condition;
  if (spec === undefined) {
    if (labelsPath !== undefined) throw new CliError(`--labels: ${modelPath} is an unconditional model (trained without --labels); it has a density p(x), not p(x | c)`);
    return undefined;
  }
  if (spec.kind !== 'class') {
    if (labelsPath !== undefined) throw new CliError(`--labels ${labelsPath}: ${modelPath} is conditioned on context vectors of dimension ${spec.dim}, not on classes; give --context FILE`);
    return undefined;
  }
  if (labelsPath === undefined) throw new CliError(`${modelPath} is conditioned on class labels 0…${spec.classes - 1}: give --labels FILE (the class of each data row) for log p(x | c)`);
  const labels = await readLabelsFile(labelsPath, '--labels', rows);
  const bad = labels.findIndex((c) => c >= spec.classes);
  if (bad >= 0) throw new CliError(`--labels ${labelsPath}: row ${bad + 1} holds ${labels[bad]}, not a class of this model; expected an integer in 0…${spec.classes - 1}`);
  return labels;
}

/** `pfm logprob --model MODEL.json --data FILE --out FILE`. */
export const logprobCommand: CommandSpec = {
  ...logprobSpec,
  // A signal stops the command at once (it runs off the main thread); --out loses its temporary.
  outputs: (values) => (typeof values.out === 'string' ? [values.out] : []),
  async run({ values, registry, io }) {
    const modelPath = requiredFlag(values, 'model', 'logprob');
    const dataPath = requiredFlag(values, 'data', 'logprob');
    const out = requiredFlag(values, 'out', 'logprob');
    const labelsPath = stringFlag(values, 'labels');
    const contextPath = stringFlag(values, 'context');
    const perDimension = booleanFlag(values, 'bits-per-dim');
    if (labelsPath !== undefined && contextPath !== undefined) throw new CliError('--labels and --context both give the condition of the data rows (a class, or a context vector); use one');
    await prepareDataOutput(out);
    const model = await loadModelFile(modelPath, registry);
    try {
      const logProb = model.logProb?.bind(model);
      if (!logProb) {
        throw new CliError(`${modelPath}: the ${model.method} model has no density (no logProb); pfm logprob needs a model of a method with one, such as a normalizing flow`);
      }
      const table = await readDataFile(dataPath);
      checkDimension(table, model.dim, dataPath);
      // The same checks as train and eval: a density at one point or at copies of one point says little.
      warnDegenerateData(io, 'pfm logprob', table.values, table.rows, table.cols, { name: dataPath, images: table.shape !== undefined });
      const context = contextPath !== undefined ? await readContextFile(contextPath, '--context') : undefined;
      checkContext(model, context, { flag: '--context', path: contextPath, modelPath, rows: table.rows, rowsWhat: `one per data row of ${dataPath}`, single: false });
      const labels = context === undefined ? await conditionLabels(model, labelsPath, table.rows, modelPath) : undefined;
      const bitsPerDim = (model as { bitsPerDim?: BitsPerDim }).bitsPerDim?.bind(model);
      if (perDimension && !bitsPerDim) {
        throw new CliError(
          `--bits-per-dim: the ${model.method} model of ${modelPath} was not trained on dequantised pixels, so it has no bits per dimension; its log p(x) is a density of continuous data (drop --bits-per-dim)`,
        );
      }
      // The labels or context vectors of rows [row, row + rows) when the model is conditional.
      const labelsOf = (row: number, rows: number): Int32Array | Float32Array | undefined =>
        labels?.subarray(row, row + rows) ?? context?.values.subarray(row * context.dim, (row + rows) * context.dim);
      const start = performance.now();
      const result = new Float32Array(table.rows);
      // log P(x) = −bits·d·ln 2 for a model of dequantised pixels (see the description).
      const natsPerBitRow = -table.cols * Math.LN2;
      let bitsSum = 0;
      for (let row = 0; row < table.rows; row += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, table.rows - row);
        const chunk = tf.tidy(() => {
          const x = tf.tensor2d(table.values.subarray(row * table.cols, (row + rows) * table.cols), [rows, table.cols]);
          const condition = labelsOf(row, rows);
          if (!bitsPerDim) return condition ? (logProb as ConditionalLogProb)(x, condition) : logProb(x);
          const rng = createRng(BITS_PER_DIM_SEED).fold(row / CHUNK_ROWS);
          return !condition ? bitsPerDim(x, rng) : 'encoder' in model.maps ? bitsPerDim(x, rng, undefined, condition) : bitsPerDim(x, rng, condition);
        });
        try {
          const values = chunk.dataSync();
          if (bitsPerDim) {
            for (let i = 0; i < rows; i++) {
              bitsSum += values[i]!;
              result[row + i] = perDimension ? values[i]! : values[i]! * natsPerBitRow;
            }
          } else {
            result.set(values, row);
          }
        } finally {
          chunk.dispose();
        }
      }
      const seconds = (performance.now() - start) / 1000;
      await writeDataFile(out, { rows: table.rows, cols: 1, values: result, header: [perDimension ? 'bits_per_dim' : 'logprob'] });
      const conditional = labels !== undefined || context !== undefined;
      const meanBits = bitsSum / table.rows;
      if (bitsPerDim) {
        const what = perDimension ? `bits per dimension of the ${conditional ? 'pixels given c' : 'pixels'}` : `log P(x${conditional ? ' | c' : ''}) of the discrete pixels`;
        const mean = perDimension ? '' : `mean ${(meanBits * natsPerBitRow).toFixed(4)} nats, `;
        io.stderr(
          `wrote ${what} (dequantised, noise seed ${BITS_PER_DIM_SEED}) of the ${model.method} model at ${table.rows} points to ${out} (${mean}${meanBits.toFixed(4)} bits/dim of the dequantised data, ${seconds.toFixed(3)} s)\n`,
        );
      } else {
        let sum = 0;
        for (const v of result) sum += v;
        io.stderr(`wrote log p(x${conditional ? ' | c' : ''}) of the ${model.method} model at ${table.rows} points to ${out} (mean ${(sum / table.rows).toFixed(4)}, ${seconds.toFixed(3)} s)\n`);
      }
    } finally {
      model.dispose();
    }
    return EXIT_CODES.ok;
  },
};
