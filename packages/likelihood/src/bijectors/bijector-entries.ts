// The registry 'map' entries of every bijector of this package, and the validation of bijector
// specs (a chain's layers, flow-mle's layers): known type, options that parse, matching
// dimensions, bounded nesting.
import { z } from 'zod';
import { defineMap, isBijector, type Bijector, type MapEntry, type MapSpec, type Rng } from '@pfm/core';
import { affineCoupling, affineCouplingOptionsSchema } from './affine-coupling.js';
import { additiveCoupling, additiveCouplingOptionsSchema } from './additive-coupling.js';
import { splineCoupling, splineCouplingOptionsSchema } from './spline-coupling.js';
import { permutation, permutationOptionsSchema } from './permutation.js';
import { actNorm, actNormOptionsSchema } from './act-norm.js';
import { luLinear, luLinearOptionsSchema } from './lu-linear.js';
import { elementwiseAffine, elementwiseAffineOptionsSchema } from './elementwise-affine.js';
import { boxOptionsSchema, sigmoid } from './sigmoid.js';
import { logit } from './logit.js';
import { chain, type Chain } from './chain.js';

/** Deepest nesting of chains inside chains a spec may have. */
export const MAX_CHAIN_DEPTH = 8;
/** Most layers a spec may hold, counting every nested layer. */
export const MAX_CHAIN_LAYERS = 1024;

/** A map spec as it appears in a file or a config: registry id and options. */
export const mapSpecSchema = z
  .object({
    type: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

function nestedChainDepth(spec: unknown): number {
  const s = spec as { type?: unknown; options?: { layers?: unknown } };
  if (s?.type !== 'chain' || !Array.isArray(s.options?.layers)) return 0;
  return 1 + Math.max(0, ...s.options.layers.map(nestedChainDepth));
}

function countLayers(spec: unknown): number {
  const s = spec as { type?: unknown; options?: { layers?: unknown } };
  if (s?.type !== 'chain' || !Array.isArray(s.options?.layers)) return 1;
  return s.options.layers.reduce((acc: number, l) => acc + countLayers(l), 0);
}

/**
 * Validates bijector specs in a zod refinement: each `type` is a bijector of this package, its
 * options parse, its `dim` equals `dim` (or, when `dim` is undefined, the first layer's), nesting
 * stays within MAX_CHAIN_DEPTH and MAX_CHAIN_LAYERS.
 */
export function validateBijectorSpecs(layers: readonly { type: string; options: Record<string, unknown> }[], ctx: z.RefinementCtx, dim: number | undefined, path: (string | number)[]): void {
  const depth = 1 + Math.max(0, ...layers.map(nestedChainDepth));
  if (depth > MAX_CHAIN_DEPTH) {
    ctx.addIssue({ code: 'custom', path, message: `chains are nested ${depth} deep; at most ${MAX_CHAIN_DEPTH} allowed` });
    return;
  }
  const total = layers.reduce((acc, l) => acc + countLayers(l), 0);
  if (total > MAX_CHAIN_LAYERS) {
    ctx.addIssue({ code: 'custom', path, message: `${total} layers in all; at most ${MAX_CHAIN_LAYERS} allowed` });
    return;
  }
  let expected = dim;
  layers.forEach((layer, i) => {
    const entry = BIJECTOR_TABLE.get(layer.type);
    if (!entry) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, 'type'],
        message: `unknown bijector "${layer.type}"; known bijectors: ${[...BIJECTOR_TABLE.keys()].sort().join(', ')}`,
      });
      return;
    }
    const result = entry.schema.safeParse(layer.options);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', path: [...path, i, 'options', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message });
      }
      return;
    }
    const layerDim = (result.data as { dim: number }).dim;
    if (expected === undefined) expected = layerDim;
    else if (layerDim !== expected) {
      ctx.addIssue({ code: 'custom', path: [...path, i, 'options', 'dim'], message: `is ${layerDim}, expected ${expected} (every layer acts on the same dimension)` });
    }
  });
}

/** Options of a `chain` map entry: `{ dim, layers: [{ type, options }, …] }`, validated recursively. */
export const chainOptionsSchema = z
  .object({
    dim: z.number().int().positive(),
    /** Layer specs; `layers[0]` acts first on the noise side, the last one produces data. */
    layers: z.array(mapSpecSchema).min(1).max(MAX_CHAIN_LAYERS),
  })
  .strict()
  .superRefine((o, ctx) => validateBijectorSpecs(o.layers, ctx, o.dim, ['layers']));

/** Builds one bijector of this package from its spec (options validated). */
export function bijectorFromSpec(spec: MapSpec, rng: Rng, where = 'bijector'): Bijector {
  const entry = BIJECTOR_TABLE.get(spec.type);
  if (!entry) {
    throw new RangeError(`${where}: unknown bijector "${spec.type}"; known bijectors: ${[...BIJECTOR_TABLE.keys()].sort().join(', ')}`);
  }
  const result = entry.schema.safeParse(spec.options ?? {});
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${[where, 'options', ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
    throw new RangeError(`bad options for bijector "${spec.type}": ${detail}`);
  }
  const made = entry.create(result.data, { rng });
  if (!isBijector(made as Bijector)) {
    made.dispose();
    throw new TypeError(`${where}: map "${spec.type}" is not a bijector`);
  }
  return made as Bijector;
}

/** Builds a chain from `{ dim, layers }` (validated); layer i gets the stream rng.fold(i). */
export function chainFromOptions(options: z.input<typeof chainOptionsSchema>, rng: Rng): Chain {
  const parsed = chainOptionsSchema.parse(options);
  const made: Bijector[] = [];
  try {
    parsed.layers.forEach((layer, i) => made.push(bijectorFromSpec(layer, rng.fold(i), `layers[${i}]`)));
    return chain(made);
  } catch (error) {
    for (const m of made) m.dispose();
    throw error;
  }
}

function entry<S extends z.ZodType>(id: string, description: string, schema: S, create: (o: z.output<S>, rng: Rng) => Bijector): MapEntry<z.output<S>> {
  return defineMap({ id, description, schema, create: (o, { rng }) => create(o, rng) });
}

/** Every bijector of this package as a registry 'map' entry (options carry `dim`). */
export const bijectorEntries: readonly MapEntry[] = [
  entry('affine-coupling', 'RealNVP affine coupling x_T = z_T·exp(s(z_K)) + t(z_K), soft-clamped scales', affineCouplingOptionsSchema, (o, rng) => affineCoupling(o, rng)),
  entry('additive-coupling', 'NICE additive coupling x_T = z_T + t(z_K) (volume preserving)', additiveCouplingOptionsSchema, (o, rng) => additiveCoupling(o, rng)),
  entry('spline-coupling', 'Neural spline flow coupling: rational-quadratic splines on [−B, B], identity tails', splineCouplingOptionsSchema, (o, rng) => splineCoupling(o, rng)),
  entry('permutation', 'Fixed permutation of coordinates (reverse, or random from a seed)', permutationOptionsSchema, (o) => permutation(o)),
  entry('act-norm', 'ActNorm: elementwise affine with data-dependent initialisation (Glow)', actNormOptionsSchema, (o) => actNorm(o)),
  entry('lu-linear', 'Invertible linear map W = P L U with log|diag U| parameters (Glow)', luLinearOptionsSchema, (o) => luLinear(o)),
  entry('elementwise-affine', 'Trainable elementwise affine x = z·exp(a) + b', elementwiseAffineOptionsSchema, (o) => elementwiseAffine(o)),
  entry('sigmoid', 'Sigmoid onto a box [low, high]^d', boxOptionsSchema, (o) => sigmoid(o)),
  entry('logit', 'Logit of a box [low, high]^d onto R^d', boxOptionsSchema, (o) => logit(o)),
  entry('chain', 'Composition of bijectors (layer specs listed in options.layers)', chainOptionsSchema, (o, rng) => chainFromOptions(o, rng)),
];

const BIJECTOR_TABLE: ReadonlyMap<string, MapEntry> = new Map(bijectorEntries.map((e) => [e.id, e]));

/** The ids of the bijectors a chain or flow-mle spec may name. */
export function bijectorIds(): string[] {
  return [...BIJECTOR_TABLE.keys()].sort();
}
