// Samples an ONNX model exported by exportOnnx with onnxruntime (onnxruntime-node or -web):
// one-step graphs and unrolled samplers run once per batch; for a velocity field the sampling
// loop runs here, y1 = y0 + h Σ_i b_i k_i with k_i = v(t0 + c_i h, y0 + h Σ_j a_ij k_j)
// (explicit Runge–Kutta, Hairer et al. II.1), in float32 arithmetic as pfm's integrators do. A
// conditional graph gets the condition of the rows (and a guided one its guidance scale) with
// every run.
import type { Rng } from '@pfm/core';
import { FIXED_STEP_TABLEAUX, fixedStepTimes, type FixedStepIntegrator } from '../export/fixed-step-tableaux.js';
import { OnnxError } from '../export/onnx-error.js';
import { readSamplerMetadata } from '../export/read-sampler-metadata.js';
import type { OnnxSamplerMetadata } from '../export/sampler-metadata.js';
import type { OnnxRuntime, OnnxInference, OnnxRuntimeTensor } from './onnx-runtime.js';

/** Integration settings of a velocity-field sampler (ignored by the other kinds, which refuse them). */
export interface OnnxSampleOptions {
  /** Fixed-step integrator (default: the model's, else euler). */
  integrator?: FixedStepIntegrator;
  /** Number of steps (default: the model's, else 100). */
  steps?: number;
  /**
   * The condition of the rows, required by a conditional graph (`metadata.condition`): a class
   * label for every row or one per row, or a context vector of `dim` values for every row or
   * `n × dim` values (one row each), as pfm's `model.sample` takes it.
   */
  condition?: number | ArrayLike<number>;
  /**
   * Classifier-free guidance scale w of a graph with the `guidance` input (`metadata.guidance`
   * 'input'; default 1); a graph with a fixed scale accepts only that one.
   */
  guidance?: number;
}

/** The options a velocity evaluation takes: the rows' condition and the guidance scale. */
export type OnnxConditionOptions = Pick<OnnxSampleOptions, 'condition' | 'guidance'>;

/** A sampler over a model loaded in onnxruntime; arrays are row-major `[n, noiseDim]` in, `[n, dim]` out. */
export interface OnnxSampler {
  /** What the graph is and how it samples (the `pfm.sampler` metadata). */
  readonly metadata: OnnxSamplerMetadata;
  /** Maps noise `z` (`n` rows of `noiseDim`) to `n` samples. */
  transport(z: Float32Array, n: number, options?: OnnxSampleOptions): Promise<Float32Array>;
  /** Draws the noise from `rng` (as pfm's models do, so one seed gives pfm's samples) and transports it. */
  sample(n: number, rng: Rng, options?: OnnxSampleOptions): Promise<Float32Array>;
  /** v(t, x) for a velocity-field graph: `t` one time for every row, or one per row (guided v(t, x | c) for a conditional one). */
  velocity(t: number | Float32Array, x: Float32Array, n: number, options?: OnnxConditionOptions): Promise<Float32Array>;
  /** Evaluations of the graph per batch with these options. */
  nfe(options?: OnnxSampleOptions): number;
  /** Frees the loaded model. */
  release(): Promise<void>;
}

/** Options of {@link createOnnxSampler}. */
export interface CreateOnnxSamplerOptions {
  /** Passed to `InferenceSession.create` (execution providers, threads, graph optimisation level). */
  runtimeOptions?: Record<string, unknown>;
  /** Names the model in errors (a file path). */
  source?: string;
}

function checkRows(where: string, field: string, values: Float32Array, n: number, width: number): void {
  if (!Number.isInteger(n) || n < 0) throw new OnnxError(`${where}: n must be a non-negative integer, got ${n}`);
  if (!(values instanceof Float32Array) || values.length !== n * width) {
    throw new OnnxError(`${where}: ${field} must be a Float32Array of ${n} × ${width} = ${n * width} values, got ${values instanceof Float32Array ? values.length : typeof values}`);
  }
}

async function runOne(inference: OnnxInference, feeds: Record<string, OnnxRuntimeTensor>, output: string): Promise<Float32Array> {
  const results = await inference.run(feeds);
  const out = results[output];
  if (!out || !(out.data instanceof Float32Array)) throw new OnnxError(`onnx sampler: the graph returned no float32 output "${output}"`);
  const data = Float32Array.from(out.data);
  for (const r of Object.values(results)) r.dispose?.();
  for (const f of Object.values(feeds)) f.dispose?.();
  return data;
}

/**
 * Opens the ONNX model `bytes` (written by `exportOnnx`) in `runtime` and returns its sampler.
 * `runtime` is the onnxruntime module: `import * as ort from 'onnxruntime-node'` in Node.js,
 * `'onnxruntime-web'` in a browser.
 */
export async function createOnnxSampler(bytes: Uint8Array, runtime: OnnxRuntime, options: CreateOnnxSamplerOptions = {}): Promise<OnnxSampler> {
  const source = options.source ?? 'onnx model';
  const metadata = readSamplerMetadata(bytes, source);
  const inference = await runtime.InferenceSession.create(bytes, options.runtimeOptions ?? {});
  const where = `${source} (${metadata.kind})`;
  const { dim, noiseDim } = metadata;
  const tensor = (data: Float32Array, dims: number[]) => new runtime.Tensor('float32', data, dims);
  const spec = metadata.condition;

  /** The condition and guidance inputs of one run on `n` rows (fresh tensors: a run disposes its feeds). */
  const conditionFeeds = (opts: OnnxConditionOptions, n: number): Record<string, OnnxRuntimeTensor> => {
    const { condition, guidance } = opts;
    if (spec === undefined) {
      if (condition !== undefined || guidance !== undefined) throw new OnnxError(`${where}: ${condition !== undefined ? 'condition' : 'guidance'} given, but the graph is unconditional`);
      return {};
    }
    if (guidance !== undefined && (typeof guidance !== 'number' || !Number.isFinite(guidance))) {
      throw new OnnxError(`${where}: guidance must be a finite number (0 unconditional, 1 conditional, > 1 stronger), got ${String(guidance)}`);
    }
    if (guidance !== undefined && metadata.guidance !== 'input' && guidance !== (metadata.guidance ?? 1)) {
      throw new OnnxError(`${where}: guidance ${guidance}: this graph has its guidance fixed at ${metadata.guidance ?? 1} (export it without options.guidance for a guidance input)`);
    }
    const feeds: Record<string, OnnxRuntimeTensor> = {};
    if (metadata.guidance === 'input') feeds.guidance = tensor(Float32Array.of(guidance ?? 1), []);
    if (condition === undefined) {
      throw new OnnxError(`${where}: the graph is conditioned on ${spec.kind === 'class' ? `class labels 0…${spec.classes - 1}` : `context vectors of dimension ${spec.dim}`}; give condition`);
    }
    const values = typeof condition === 'number' ? [condition] : condition;
    if (spec.kind === 'class') {
      if (values.length !== 1 && values.length !== n) throw new OnnxError(`${where}: condition: expected ${n} class labels (one per row) or one for all rows, got ${values.length}`);
      const labels = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values.length === 1 ? values[0]! : values[i]!;
        if (!Number.isInteger(v) || v < 0 || v >= spec.classes) {
          throw new OnnxError(`${where}: condition: label ${String(v)}${values.length === 1 ? '' : ` at row ${i}`} is not a class of this graph; expected an integer in 0…${spec.classes - 1}`);
        }
        labels[i] = BigInt(v);
      }
      feeds.label = new runtime.Tensor('int64', labels, [n]);
      return feeds;
    }
    const m = spec.dim;
    if (typeof condition === 'number' || (values.length !== m && values.length !== n * m)) {
      throw new OnnxError(`${where}: condition: expected a context vector of dimension ${m} (or ${n}×${m} numbers, one row per sample), got ${typeof condition === 'number' ? 'a number' : `${values.length} numbers`}`);
    }
    const context = new Float32Array(n * m);
    for (let i = 0; i < n * m; i++) {
      const v = values.length === m ? values[i % m]! : values[i]!;
      if (!Number.isFinite(v)) throw new OnnxError(`${where}: condition: context entry ${i} (row ${Math.floor(i / m)}, column ${i % m}) is ${v}; expected finite numbers`);
      context[i] = v;
    }
    feeds.context = tensor(context, [n, m]);
    return feeds;
  };

  const plan = (opts: OnnxSampleOptions = {}): { integrator: FixedStepIntegrator; steps: number } => {
    if (metadata.kind !== 'velocity-field') {
      if (opts.integrator !== undefined || opts.steps !== undefined) {
        throw new OnnxError(`${where}: integrator and steps are fixed in this graph${metadata.kind === 'fixed-step-sampler' ? ` (${metadata.steps} ${metadata.integrator} steps)` : ''}; drop them`);
      }
      return { integrator: 'euler', steps: 1 };
    }
    const integrator = opts.integrator ?? metadata.integrator ?? 'euler';
    if (!(integrator in FIXED_STEP_TABLEAUX)) {
      throw new OnnxError(`${where}: integrator "${String(integrator)}" is not one of ${Object.keys(FIXED_STEP_TABLEAUX).join(', ')}`);
    }
    const steps = opts.steps ?? metadata.steps ?? 100;
    if (!Number.isInteger(steps) || steps <= 0) throw new OnnxError(`${where}: steps must be a positive integer, got ${steps}`);
    return { integrator, steps };
  };

  const velocity = async (t: number | Float32Array, x: Float32Array, n: number, opts: OnnxConditionOptions = {}): Promise<Float32Array> => {
    if (metadata.kind !== 'velocity-field') throw new OnnxError(`${where}: velocity(t, x) needs a velocity-field graph`);
    checkRows(`${where}.velocity`, 'x', x, n, dim);
    const times = typeof t === 'number' ? new Float32Array(n).fill(t) : t;
    checkRows(`${where}.velocity`, 't', times, n, 1);
    const extra = conditionFeeds(opts, n);
    return runOne(inference, { t: tensor(times, [n]), x: tensor(x, [n, dim]), ...extra }, 'v');
  };

  const transport = async (z: Float32Array, n: number, opts: OnnxSampleOptions = {}): Promise<Float32Array> => {
    const { integrator, steps } = plan(opts);
    checkRows(`${where}.transport`, 'z', z, n, noiseDim);
    const conditioning: OnnxConditionOptions = {
      ...(opts.condition !== undefined ? { condition: opts.condition } : {}),
      ...(opts.guidance !== undefined ? { guidance: opts.guidance } : {}),
    };
    if (metadata.kind !== 'velocity-field') {
      const extra = conditionFeeds(conditioning, n);
      return runOne(inference, { z: tensor(z, [n, noiseDim]), ...extra }, 'x');
    }
    // Checked once before the loop, so a bad condition fails before the first step.
    for (const f of Object.values(conditionFeeds(conditioning, n))) f.dispose?.();
    const f = Math.fround;
    const tableau = FIXED_STEP_TABLEAUX[integrator];
    const times = fixedStepTimes(metadata.t0 ?? 0, metadata.t1 ?? 1, steps);
    let y = Float32Array.from(z);
    for (let s = 0; s < steps; s++) {
      const ta = times[s]!;
      const h = times[s + 1]! - ta;
      const k: Float32Array[] = [];
      for (let i = 0; i < tableau.c.length; i++) {
        let yi = y;
        const row: readonly number[] = i > 0 ? tableau.a[i - 1]! : [];
        row.forEach((aij, j) => {
          if (aij === 0) return;
          const w = f(h * aij);
          const kj = k[j]!;
          yi = yi.map((v, m) => f(v + f(kj[m]! * w)));
        });
        k.push(await velocity(ta + tableau.c[i]! * h, yi, n, conditioning));
      }
      let next = y;
      tableau.b.forEach((bi, i) => {
        if (bi === 0) return;
        const w = f(h * bi);
        const ki = k[i]!;
        next = next.map((v, m) => f(v + f(ki[m]! * w)));
      });
      y = next;
    }
    return y;
  };

  return {
    metadata,
    transport,
    async sample(n, rng, opts) {
      if (!Number.isInteger(n) || n < 0) throw new OnnxError(`${where}.sample: n must be a non-negative integer, got ${n}`);
      const z = metadata.noise === 'uniform' ? rng.uniformArray(n * noiseDim) : rng.normalArray(n * noiseDim);
      return transport(z, n, opts);
    },
    velocity,
    nfe(opts) {
      const { integrator, steps } = plan(opts);
      // A guided graph evaluates the field twice per run (v_c and v_∅) unless its scale is fixed at 0 or 1.
      const guidance = metadata.guidance;
      const evaluations = guidance === 'input' || (guidance !== undefined && guidance !== 0 && guidance !== 1) ? 2 : 1;
      return metadata.kind === 'velocity-field' ? steps * FIXED_STEP_TABLEAUX[integrator].c.length * evaluations : 1;
    },
    async release() {
      await inference.release?.();
    },
  };
}
