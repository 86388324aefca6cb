import * as tf from '@tensorflow/tfjs-core';
import { conditionRows, type ConditionInput, type DataTable, type Model, type PushforwardMap } from '@pfm/core';
import { isTransportModel, type FlowSampleOptions } from '@pfm/flows';
import { CliError } from '../cli/cli-error.js';

/**
 * The condition of rows `start … start + count − 1` out of `n`: per-sample conditions (n labels, or
 * n context vectors of m values, row-major) are cut to the chunk's rows; one label or one context
 * vector for all rows is kept as it is.
 */
function chunkCondition(model: Model, condition: ConditionInput | undefined, n: number, start: number, count: number): ConditionInput | undefined {
  if (condition === undefined || typeof condition === 'number' || condition instanceof tf.Tensor) return condition;
  const m = model.condition?.kind === 'context' ? model.condition.dim : 1;
  if (condition.length !== n * m) return condition;
  return Array.prototype.slice.call(condition, start * m, (start + count) * m) as number[];
}

/**
 * The samples of `model` from given base noise, one row per sample, `chunk` rows at a time: a
 * flow integrates each row from t = 0 to 1 (its `transport`), a generator applies its network to
 * each row (its latent point). The rows must have the dimension of the model's noise (the
 * model's `dim` for a flow, the generator's `latentDim`). `source` names the file in errors.
 * A conditional model takes `options.condition` (one for all rows or one per row, as
 * `model.sample` does); each chunk gets the conditions of its rows.
 */
export function transportNoise(model: Model, noise: DataTable, options: FlowSampleOptions, chunk: number, source: string): Float32Array {
  let width: number;
  let push: (z: tf.Tensor2D, condition: ConditionInput | undefined) => tf.Tensor2D;
  const generator = model.maps.generator as Partial<PushforwardMap> | undefined;
  if (isTransportModel(model)) {
    if (options.stochastic) throw new CliError('--stochastic: a stochastic sampler draws path noise as it goes; --noise gives only the base noise');
    width = model.dim;
    push = (z, condition) => model.transport(z, { ...options, ...(condition !== undefined ? { condition } : {}) });
  } else if (generator !== undefined && typeof generator.apply === 'function' && typeof generator.inputDim === 'number') {
    if (options.integrator !== undefined || options.steps !== undefined || options.stochastic) {
      throw new CliError(`--noise: the ${model.method} model applies its generator once; drop --integrator, --steps and --stochastic`);
    }
    // As model.sample of a generator: guidance belongs to flows (a distilled map keeps its own).
    if (options.guidance !== undefined) throw new CliError(`--guidance ${options.guidance}: the ${model.method} model is a one-step generator; guidance applies to flows trained with condition dropout`);
    width = generator.inputDim;
    const apply = generator.apply.bind(generator);
    const spec = generator.condition;
    push = (z, condition) => {
      if (spec === undefined) return apply(z);
      // checkConditionFlags has required a condition of a conditional model and checked it.
      return apply(z, { values: conditionRows(spec, condition!, z.shape[0], '--class/--labels/--context') });
    };
  } else {
    throw new CliError(`--noise ${source}: the ${model.method} model does not map given noise (flows and generators do); sample it with -n`);
  }
  if (noise.cols !== width) {
    throw new CliError(`--noise ${source}: has ${noise.cols} values per row, the ${model.method} model's noise has ${width}`);
  }
  const out = new Float32Array(noise.rows * model.dim);
  for (let start = 0; start < noise.rows; start += chunk) {
    const count = Math.min(chunk, noise.rows - start);
    const condition = chunkCondition(model, options.condition, noise.rows, start, count);
    const samples = tf.tidy(() => push(tf.tensor2d(noise.values.subarray(start * width, (start + count) * width), [count, width]), condition));
    try {
      out.set(samples.dataSync(), start * model.dim);
    } finally {
      samples.dispose();
    }
  }
  return out;
}
