// Exports a trained pfm model to the bytes of an ONNX model (opset ≥ 17): a one-step sampler
// x = φ(z), a velocity field v(t, x), or a velocity field integrated by a fixed-step explicit
// Runge–Kutta method unrolled into one graph, z ↦ x after `steps` steps from t0 to t1. A conditional
// model takes its condition as a graph input; a guided flow evaluates v_∅ + w (v_c − v_∅).
import { mapToRecord, type ConditionSpec, type Model, type PushforwardMap, type VectorField } from '@pfm/core';
import { z } from 'zod';
import { graphBuilder, type GraphBuilder } from '../graph/graph-builder.js';
import { onnxProto } from '../proto/onnx-proto.js';
import { splitConditionWeights, type ConditionRowsInput } from './condition-embedding-nodes.js';
import { convGeneratorNodes } from './conv-generator-nodes.js';
import { FIXED_STEP_TABLEAUX, fixedStepTimes, type FixedStepIntegrator } from './fixed-step-tableaux.js';
import { mapWeights } from './map-weights.js';
import { mlpNodes, type MlpCondition } from './mlp-nodes.js';
import { namedWeights } from './named-weights.js';
import { OnnxError } from './onnx-error.js';
import { SAMPLER_METADATA_KEY, type OnnxSamplerMetadata } from './sampler-metadata.js';
import { timeMlpNodes } from './time-mlp-nodes.js';
import { unetNodes } from './unet-nodes.js';

/** ONNX IR version for each supported default-domain opset (onnx/docs/Versioning.md). */
const IR_VERSION_OF_OPSET: Record<number, number> = { 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** Maps a one-step generator can be exported with. */
export const ONNX_GENERATOR_MAPS = ['mlp', 'conv-generator'] as const;
/** Maps a velocity field can be exported with. */
export const ONNX_VELOCITY_MAPS = ['time-mlp', 'unet'] as const;

export const exportOnnxOptionsSchema = z
  .object({
    /**
     * For velocity-field models: `network` (default) exports v(t, x) alone, the sampling loop
     * runs outside (see `createOnnxSampler`); `sampler` unrolls `steps` steps of `integrator`
     * into one graph z ↦ x. One-step generators are always exported as z ↦ x.
     */
    graph: z.enum(['network', 'sampler']).default('network'),
    /** Integrator of an unrolled sampler (default: the model's own when it is one of these). */
    integrator: z.enum(['euler', 'midpoint', 'heun', 'rk4']).optional(),
    /** Steps of an unrolled sampler (default: the model's own). */
    steps: z.number().int().positive().max(10_000).optional(),
    /** ONNX default-domain opset, 17 to 21 (default 17). */
    opset: z.number().int().min(17).max(21).default(17),
    /** A fixed batch size for the first dimension (default: symbolic `n`, any batch). */
    batchSize: z.number().int().positive().optional(),
    /**
     * Classifier-free guidance scale w of a conditional flow, fixed in the graph (1: the
     * conditional field, one evaluation; 0: the unconditional one). Omitted, a flow trained with
     * condition dropout takes w as the graph input `guidance` (scalar, any value per run), and
     * one trained without it is exported at w = 1, the only scale it defines.
     */
    guidance: z.number().finite().optional(),
  })
  .strict();

/** Options of {@link exportOnnx}. */
export type ExportOnnxOptions = z.input<typeof exportOnnxOptionsSchema>;

const PRODUCER_VERSION = '0.1.0';

function parseOptions(options: ExportOnnxOptions): z.output<typeof exportOnnxOptionsSchema> {
  const result = exportOnnxOptionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k as string], options);
    throw new OnnxError(`exportOnnx: options.${path}: ${issue.message} (got ${JSON.stringify(value)})`);
  }
  if (result.data.graph === 'network' && (result.data.integrator !== undefined || result.data.steps !== undefined)) {
    throw new OnnxError('exportOnnx: options.integrator and options.steps apply to graph: "sampler"; the network graph leaves the sampling loop to the runtime');
  }
  return result.data;
}

/** The model's stored fixed-step sampler, when it is one an unrolled graph can hold. */
function storedSampler(model: Model): { integrator?: FixedStepIntegrator; steps?: number; note: string } {
  const sampler = model.options.sampler as { integrator?: unknown; steps?: unknown; rtol?: unknown; atol?: unknown } | undefined;
  if (!sampler) {
    // A progressively distilled student samples with finalSteps Euler steps.
    const finalSteps = model.options.finalSteps;
    if (typeof finalSteps === 'number') return { integrator: 'euler', steps: finalSteps, note: `euler with ${finalSteps} steps` };
    return { note: 'no stored sampler' };
  }
  const ref = sampler.integrator;
  const id = typeof ref === 'string' ? ref : typeof ref === 'object' && ref !== null ? String((ref as { id?: unknown }).id) : 'euler';
  const steps = typeof sampler.steps === 'number' ? sampler.steps : undefined;
  if (sampler.rtol !== undefined || sampler.atol !== undefined) return { note: `"${id}" with adaptive steps` };
  if (!(id in FIXED_STEP_TABLEAUX)) return { note: `"${id}"` };
  return { integrator: id as FixedStepIntegrator, ...(steps !== undefined ? { steps } : {}), note: `"${id}" with ${steps} steps` };
}

function modelKindError(model: Model): OnnxError {
  const roles = Object.entries(model.maps).map(([role, map]) => `${role}: ${map.toSpec().type}`);
  return new OnnxError(
    `exportOnnx: a "${model.method}" model (maps ${roles.join(', ') || 'none'}) has no ONNX export; supported: one-step generators ` +
      `(map "generator": ${ONNX_GENERATOR_MAPS.join(', ')}) and velocity fields (map "velocity": ${ONNX_VELOCITY_MAPS.join(', ')})`,
  );
}

/**
 * Whether classifier-free guidance is defined for `model`: a flow trained with condition dropout
 * (a distilled one-step map keeps the guidance it was distilled at).
 */
function isGuided(model: Model): boolean {
  const dropout = model.options.conditionDropout;
  return model.method !== 'distill' && typeof dropout === 'number' && dropout > 0;
}

/** The graph input of the condition: class labels int64 `[n]` or context rows float32 `[n, m]`. */
function conditionInput(g: GraphBuilder, spec: ConditionSpec, n: number | string): string {
  if (spec.kind === 'class') return g.input('label', [n], `class label of each row, an integer in 0…${spec.classes - 1}`, 'int64');
  return g.input('context', [n, spec.dim], `context vector of each row (dimension ${spec.dim})`);
}

/** The weights of a map record: the network's in order, and those of its condition by name. */
function conditionalWeights(record: ReturnType<typeof mapToRecord>, where: string) {
  const split = splitConditionWeights(record);
  const network = mapWeights(split.network, where);
  const condition = namedWeights(split.condition, where);
  return {
    network,
    condition,
    done() {
      network.done();
      condition.done();
    },
  };
}

function generatorNodes(g: GraphBuilder, zName: string, generator: PushforwardMap, opset: number, input: ConditionRowsInput | undefined): string {
  const record = mapToRecord(generator);
  const where = 'maps.generator';
  const weights = conditionalWeights(record, where);
  const condition: MlpCondition | undefined = input !== undefined ? { input, weights: weights.condition } : undefined;
  let out: string;
  if (record.type === 'mlp') out = mlpNodes(g, zName, record, weights.network, where, condition);
  else if (record.type === 'conv-generator') out = convGeneratorNodes(g, zName, record, weights.network, where, opset, condition);
  else throw new OnnxError(`exportOnnx: maps.generator.type: "${record.type}" has no ONNX export; supported: ${ONNX_GENERATOR_MAPS.join(', ')}`);
  weights.done();
  return out;
}

/**
 * A function that appends v(t, x) for a time column `[n, 1]` (v(t, x | c) of the condition rows
 * `condition`, or v(t, x | ∅) with `keep` false); it reuses the weight constants.
 */
function velocityNodes(g: GraphBuilder, field: VectorField, opset: number, condition: string | undefined): (t: string, x: string, keep: boolean) => string {
  const record = mapToRecord(field);
  const where = 'maps.velocity';
  if (record.type !== 'time-mlp' && record.type !== 'unet') {
    throw new OnnxError(`exportOnnx: maps.velocity.type: "${record.type}" has no ONNX export; supported: ${ONNX_VELOCITY_MAPS.join(', ')}`);
  }
  // The weights become initializers once; later evaluations reuse them through a recording builder.
  const constants = new Map<string, string>();
  const sharing: GraphBuilder = {
    ...g,
    constant(hint, values, dims) {
      const found = constants.get(hint);
      if (found !== undefined) return found;
      const name = g.constant(hint, values, dims);
      constants.set(hint, name);
      return name;
    },
  };
  return (t, x, keep) => {
    const input: ConditionRowsInput | undefined = condition !== undefined ? { values: condition, keep, rows: x } : undefined;
    if (record.type === 'unet') return unetNodes(sharing, t, x, record, where, opset, input);
    const weights = conditionalWeights(record, where);
    const out = timeMlpNodes(sharing, t, x, record, weights.network, where, input !== undefined ? { input, weights: weights.condition } : undefined);
    weights.done();
    return out;
  };
}

/**
 * Exports `model` to the bytes of an ONNX model file (ModelProto, opset ≥ 17, float32).
 *
 * - One-step samplers (map `generator`: mlp or conv-generator; the models of mmd, energy, gan, …,
 *   direct distill, curriculum): input `z` `[n, k]` → output `x` `[n, d]`, x = φ(z).
 * - Velocity fields (map `velocity`: time-mlp or unet; flow-matching, rectified-flow, cnf, progressive
 *   distill, …): by default inputs `t` `[n]` and `x` `[n, d]` → output `v` `[n, d]`, and the sampling
 *   loop (dx/dt = v(t, x) from t = 0 at the noise to t = 1 at the data) runs outside the graph;
 *   with `graph: 'sampler'` the loop is unrolled: `z` `[n, d]` → `x` `[n, d]` after `steps` steps
 *   of the explicit Runge–Kutta `integrator` (euler, midpoint, heun, rk4; Hairer et al., II.1),
 *   with the step times of @pfm/core's `solve`.
 *
 * A conditional model (trained with labels or a context) gets the graph input `label` (int64 `[n]`,
 * through the map's learned class embedding) or `context` (float32 `[n, m]`) after its other
 * inputs. A conditional flow trained with condition dropout evaluates the guided velocity
 * v_∅ + w (v_c − v_∅) (Ho & Salimans 2022; w = 0 unconditional, w = 1 conditional; the form
 * (1 + s) v_c − s v_∅ of other libraries is s = w − 1) with w the scalar input `guidance`, or fixed
 * by `options.guidance`.
 *
 * How to sample (the noise law, dimensions, interval, default integrator, condition, guidance) is
 * stored in the model's metadata under `pfm.sampler` ({@link OnnxSamplerMetadata}). Anything
 * else — another map type, activation or model family — throws an {@link OnnxError} naming it.
 */
export function exportOnnx(model: Model, options: ExportOnnxOptions = {}): Uint8Array {
  const opts = parseOptions(options);
  const n: number | string = opts.batchSize ?? 'n';
  const g = graphBuilder();
  const velocity = model.maps.velocity as VectorField | undefined;
  const generator = model.maps.generator as PushforwardMap | undefined;
  let metadata: OnnxSamplerMetadata;
  const eventShape = model.eventShape !== undefined ? { eventShape: [...model.eventShape] } : {};
  const spec = model.condition;
  const conditionMeta = spec !== undefined ? { condition: spec.kind === 'class' ? { kind: 'class' as const, classes: spec.classes } : { kind: 'context' as const, dim: spec.dim } } : {};
  if (opts.guidance !== undefined && spec === undefined) {
    throw new OnnxError(`exportOnnx: options.guidance: the "${model.method}" model is unconditional; guidance applies to conditional flows trained with condition dropout (got ${opts.guidance})`);
  }
  let doc: string;

  if (velocity !== undefined && typeof (velocity as VectorField).evaluate === 'function') {
    const d = velocity.dim;
    // Inputs in the order of the graph's documentation: t, x (or z), then the condition and w.
    const declareInputs = (first: () => void): { condition: string | undefined; w: string | number | undefined } => {
      first();
      if (spec === undefined) return { condition: undefined, w: undefined };
      const condition = conditionInput(g, spec, n);
      if (opts.guidance !== undefined) {
        if (opts.guidance !== 1 && !isGuided(model)) {
          throw new OnnxError(`exportOnnx: options.guidance: ${opts.guidance}: the "${model.method}" model was trained without condition dropout, so only guidance 1 is defined`);
        }
        return { condition, w: opts.guidance };
      }
      if (!isGuided(model)) return { condition, w: 1 };
      return { condition, w: g.input('guidance', [], 'classifier-free guidance scale w: 0 unconditional, 1 conditional, > 1 stronger') };
    };
    let guidanceMeta: { guidance?: 'input' | number } = {};
    /** The (guided) velocity of the field, appended for a time column and points. */
    const prepare = (inputs: { condition: string | undefined; w: string | number | undefined }): ((t: string, x: string) => string) => {
      const field = velocityNodes(g, velocity, opts.opset, inputs.condition);
      const { w } = inputs;
      if (w !== undefined) guidanceMeta = { guidance: typeof w === 'number' ? w : 'input' };
      if (w === undefined || w === 1) return (t, x) => field(t, x, true);
      if (w === 0) return (t, x) => field(t, x, false);
      const scale = typeof w === 'number' ? g.constant('guidance', [w], []) : w;
      // guided-drift's order: v_∅ + w (v_c − v_∅).
      return (t, x) => {
        const vNull = field(t, x, false);
        return g.node('Add', [vNull, g.node('Mul', [scale, g.node('Sub', [field(t, x, true), vNull])])]);
      };
    };
    const stored = storedSampler(model);
    if (opts.graph === 'network') {
      let t = '';
      let x = '';
      const evaluate = prepare(
        declareInputs(() => {
          t = g.input('t', [n], 'time of each row, t = 0 at the noise, t = 1 at the data');
          x = g.input('x', [n, d], 'points at time t');
        }),
      );
      const column = g.node('Unsqueeze', [t, g.int64('axis1', [1])]);
      g.output('v', evaluate(column, x), [n, d], 'velocity v(t, x)');
      metadata = {
        kind: 'velocity-field',
        method: model.method,
        dim: d,
        noiseDim: d,
        noise: 'gaussian',
        ...eventShape,
        t0: 0,
        t1: 1,
        ...(stored.integrator !== undefined ? { integrator: stored.integrator } : {}),
        ...(stored.integrator !== undefined && stored.steps !== undefined ? { steps: stored.steps } : {}),
        ...conditionMeta,
        ...guidanceMeta,
      };
      doc = `velocity field v(t, x) of a pfm ${model.method} model; integrate dx/dt = v from t = 0 (x ~ N(0, I)) to t = 1`;
    } else {
      const integrator = opts.integrator ?? stored.integrator;
      const steps = opts.steps ?? stored.steps;
      if (integrator === undefined || steps === undefined) {
        throw new OnnxError(
          `exportOnnx: options.integrator/options.steps: the model samples with ${stored.note}, which an unrolled graph cannot hold; ` +
            `give integrator (${Object.keys(FIXED_STEP_TABLEAUX).join(', ')}) and steps`,
        );
      }
      let z = '';
      const evaluate = prepare(declareInputs(() => (z = g.input('z', [n, d], 'noise x(0) ~ N(0, I)'))));
      // A [n, 1] shape for the time column of each evaluation, from the batch size of z.
      const columnShape = g.node('Concat', [g.node('Shape', [z], { start: { int: 0 }, end: { int: 1 } }), g.int64('one', [1])], { axis: { int: 0 } });
      const tableau = FIXED_STEP_TABLEAUX[integrator];
      const times = fixedStepTimes(0, 1, steps);
      let y = z;
      for (let s = 0; s < steps; s++) {
        const ta = times[s]!;
        const h = times[s + 1]! - ta;
        const k: string[] = [];
        for (let i = 0; i < tableau.c.length; i++) {
          let yi = y;
          const row: readonly number[] = i > 0 ? tableau.a[i - 1]! : [];
          row.forEach((aij, j) => {
            if (aij !== 0) yi = g.node('Add', [yi, g.node('Mul', [k[j]!, g.constant(`h_a${i}${j}`, [h * aij], [])])]);
          });
          const column = g.node('Expand', [g.constant(`t${s}_${i}`, [ta + tableau.c[i]! * h], [1, 1]), columnShape]);
          k.push(evaluate(column, yi));
        }
        let next = y;
        tableau.b.forEach((bi, i) => {
          if (bi !== 0) next = g.node('Add', [next, g.node('Mul', [k[i]!, g.constant(`h_b${i}`, [h * bi], [])])]);
        });
        y = next;
      }
      g.output('x', y, [n, d], `sample after ${steps} ${integrator} steps`);
      metadata = { kind: 'fixed-step-sampler', method: model.method, dim: d, noiseDim: d, noise: 'gaussian', ...eventShape, t0: 0, t1: 1, integrator, steps, ...conditionMeta, ...guidanceMeta };
      doc = `pfm ${model.method} sampler: ${steps} ${integrator} steps of its velocity field from t = 0 (z ~ N(0, I)) to t = 1`;
    }
  } else if (generator !== undefined && typeof generator.apply === 'function' && model.nfe === 1 && generator.outputDim === model.dim) {
    if (opts.graph === 'sampler') throw new OnnxError('exportOnnx: options.graph: "sampler" unrolls a velocity field; this one-step model exports as z ↦ x');
    const noise = model.options.noise ?? 'gaussian';
    if (noise !== 'gaussian' && noise !== 'uniform') throw new OnnxError(`exportOnnx: options.noise: "${String(noise)}" is not a noise the runtime can draw (gaussian, uniform)`);
    if (opts.guidance !== undefined) {
      throw new OnnxError(`exportOnnx: options.guidance: the "${model.method}" model is a one-step map, sampled without guidance (got ${opts.guidance})`);
    }
    const k = generator.inputDim;
    const z = g.input('z', [n, k], noise === 'gaussian' ? 'noise z ~ N(0, I)' : 'noise z ~ U[0, 1]');
    const condition = spec !== undefined ? conditionInput(g, spec, n) : undefined;
    const input = condition !== undefined ? { values: condition, keep: true, rows: z } : undefined;
    g.output('x', generatorNodes(g, z, generator, opts.opset, input), [n, model.dim], spec !== undefined ? 'sample x = φ(z | c)' : 'sample x = φ(z)');
    metadata = { kind: 'one-step', method: model.method, dim: model.dim, noiseDim: k, noise, ...eventShape, ...conditionMeta };
    doc = `one-step sampler x = φ(z) of a pfm ${model.method} model`;
  } else {
    throw modelKindError(model);
  }

  return onnxProto.encode({
    irVersion: IR_VERSION_OF_OPSET[opts.opset]!,
    opsetImport: [{ domain: '', version: opts.opset }],
    producerName: 'pfm',
    producerVersion: PRODUCER_VERSION,
    domain: 'pfm',
    modelVersion: 1,
    docString: doc,
    graph: g.build(`pfm_${model.method.replace(/-/g, '_')}`, doc),
    metadataProps: [{ key: SAMPLER_METADATA_KEY, value: JSON.stringify(metadata) }],
  });
}
