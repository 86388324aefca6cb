// A trained flow as a pfm Model: samples x = ψ(z), z ~ N(0, I), and the exact density
//   log p(x) = log N(ψ⁻¹(x); 0, I) + log|det Dψ⁻¹(x)|   (paper, §3, change of variables).
// A model trained with `preprocess` (dequantised images) also reports bits per dimension.
// A conditional bijector gives p(x | c): `sample(n, rng, { condition })` and `logProb(x, condition)`.
import * as tf from '@tensorflow/tfjs-core';
import { conditionRows, gaussian, type Bijector, type ConditionBatch, type ConditionInput, type Model, type Rng, type SampleOptions } from '@pfm/core';
import { flow, type Flow } from './flow.js';
import { pixelPreprocessingSchema, type PixelPreprocessing } from '../data/pixel-preprocessing.js';
import { uniformDequantize } from '../data/uniform-dequantize.js';
import { bitsPerDimension } from './bits-per-dimension.js';

/** A flow model: a Model whose `logProb` is exact. The map role is `flow`. */
export interface FlowModel extends Model {
  readonly maps: { flow: Bijector };
  /** The measure ψ#N(0, I). */
  readonly flow: Flow;
  /**
   * Exact log density `[n, dim]` → `[n]`; log p(x | c) for a conditional model, which needs the
   * rows' `condition` (one label or context for all rows, or one per row).
   */
  logProb(x: tf.Tensor2D, condition?: ConditionInput): tf.Tensor1D;
  /** Samples `[n, dim]` with their log densities `[n]`. */
  sampleAndLogProb(n: number, rng: Rng): [tf.Tensor2D, tf.Tensor1D];
  /** The image preprocessing the model was trained with (`options.preprocess`), if any. */
  readonly preprocess?: PixelPreprocessing;
  /**
   * Models trained on dequantised data (`preprocess.dequantize`): bits per dimension `[n]` of the
   * discrete rows of `x` `[n, dim]` (values k/(K − 1)), bpd = (−log p(x̃) + d·log K)/(d·log 2) with
   * x̃ = (x·(K − 1) + u)/K, u ~ U[0, 1)^d drawn from `rng` (an upper bound on −log₂ P(x)/d in expectation).
   * A conditional model needs the rows' `condition` and reports the bits of p(x | c).
   */
  bitsPerDim?(x: tf.Tensor2D, rng: Rng, condition?: ConditionInput): tf.Tensor1D;
}

/** Arguments of {@link normalizingFlowModel}. */
export interface NormalizingFlowModelArgs {
  /** The objective id recorded in the model (e.g. `flow-mle`). */
  method: string;
  /** The objective's options, recorded in the model. */
  options: Record<string, unknown>;
  /** ψ: noise → data (owned by the model). */
  bijector: Bijector;
}

/**
 * A normalizing flow as a Model: the bijector ψ (noise → data) pushes the base N(0, I_dim)
 * forward, so samples are x = ψ(z) and log p(x) = log N(ψ⁻¹(x); 0, I) + log|det Dψ⁻¹(x)| is exact.
 * The model owns the bijector. (Not to be confused with `@pfm/flows`' `flowModel`, a velocity
 * field integrated by an ODE solver.)
 * Source: Cabannes, "Touring sampling with pushforward maps", arXiv 2311.13845, §3.
 */
export function normalizingFlowModel(args: NormalizingFlowModelArgs): FlowModel {
  const { bijector } = args;
  const measure = flow(bijector, gaussian({ dim: bijector.inputDim }));
  const preprocess = readPreprocessing(args);
  // The logit transform's sigmoid lands in [−λ/(1 − 2λ), (1 − λ)/(1 − 2λ)], a hair wider than
  // the pixel range: samples are clipped to [0, 1].
  const toPixels = preprocess && preprocess.logit !== false ? (x: tf.Tensor2D) => tf.clipByValue(x, 0, 1) as tf.Tensor2D : (x: tf.Tensor2D) => x;
  const spec = bijector.condition;
  // The condition rows of n samples as a batch (made inside the caller's tidy), checked against the model.
  const batchOf = (condition: ConditionInput | undefined, n: number, where: string): ConditionBatch | undefined => {
    if (spec === undefined) {
      if (condition !== undefined) throw new TypeError(`${where}: "condition" given, but this model is unconditional (trained without labels or context)`);
      return undefined;
    }
    if (condition === undefined) throw new TypeError(`${where}: this model is conditional; give "condition" (${spec.kind === 'class' ? `a class label in 0…${spec.classes - 1}` : `a context vector of dimension ${spec.dim}`}, or one per row)`);
    return { values: conditionRows(spec, condition, n, `${where}: condition`) };
  };
  const model: FlowModel = {
    method: args.method,
    options: args.options,
    maps: { flow: bijector },
    dim: measure.dim,
    ...(spec ? { condition: spec } : {}),
    nfe: 1,
    flow: measure,
    sample(n: number, rng: Rng, options: SampleOptions = {}): tf.Tensor2D {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`${args.method}: sample count must be a non-negative integer, got ${n}`);
      if (options.guidance !== undefined) {
        throw new TypeError(`${args.method}.sample: "guidance" applies to flows trained with condition dropout; a normalizing flow samples p(x | c) directly`);
      }
      if (!preprocess && spec === undefined) return measure.sample(n, rng);
      return tf.tidy(() => toPixels(measure.sample(n, rng, batchOf(options.condition, n, `${args.method}.sample`))));
    },
    nfeFor: () => 1,
    logProb: (x, condition) => (spec === undefined && condition === undefined ? measure.logProb(x) : tf.tidy(() => measure.logProb(x, batchOf(condition, x.shape[0], `${args.method}.logProb`)))),
    sampleAndLogProb: (n, rng) => {
      if (!preprocess) return measure.sampleAndLogProb(n, rng);
      return tf.tidy(() => {
        const [x, logp] = measure.sampleAndLogProb(n, rng);
        return [toPixels(x), logp];
      });
    },
    extra: () => ({}),
    dispose: () => bijector.dispose(),
  };
  if (!preprocess) return model;
  const withPreprocess: FlowModel = { ...model, preprocess };
  if (preprocess.dequantize) {
    const levels = preprocess.levels;
    withPreprocess.bitsPerDim = (x, rng, condition) =>
      tf.tidy(() => {
        const points = uniformDequantize(x, levels, rng);
        const logp = spec === undefined && condition === undefined ? measure.logProb(points) : measure.logProb(points, batchOf(condition, x.shape[0], `${args.method}.bitsPerDim`));
        return bitsPerDimension(logp, measure.dim, levels);
      });
  }
  return withPreprocess;
}

/** `options.preprocess` of a flow model, validated (the options of a file were parsed by the objective's schema already). */
function readPreprocessing(args: NormalizingFlowModelArgs): PixelPreprocessing | undefined {
  const raw = args.options.preprocess;
  if (raw === undefined) return undefined;
  const parsed = pixelPreprocessingSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`${args.method}: options.preprocess${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * @deprecated Renamed {@link normalizingFlowModel} (the name clashed with `@pfm/flows`' `flowModel`,
 * which builds an ODE model from a velocity field); this alias goes in the next minor release.
 */
export const flowModel: (args: NormalizingFlowModelArgs) => FlowModel = normalizingFlowModel;
