// A multilayer perceptron x ↦ W_L σ(… σ(W_1 x + b_1) …) + b_L with named tf.Variables
// ("layer{i}/kernel" [in, out], "layer{i}/bias" [out]).
// Default initialisation `fan-in-uniform`: W, b ~ U(−1/√fan_in, 1/√fan_in), the bound of
// PyTorch's nn.Linear (kaiming_uniform with a = √5, and its bias rule), so a recipe trains from
// the same weight law as its PyTorch twin; the others draw W and start b at 0 (Glorot & Bengio
// 2010; He et al. 2015; LeCun et al. 1998).
// With `condition`, the map is φ(z | c): the condition embedding e(c) (condition-embedding) is
// appended to the input (`join: 'concat'`, layer 0 then has inputDim + embeddingDim inputs) or
// modulates each hidden layer, h ↦ (1 + γ_i(e)) ⊙ h + β_i(e) before its activation (`join: 'film'`,
// Perez et al. 2018; [γ_i, β_i] = e F_i + g_i with F_i, g_i zero at initialisation).
// Layers without FiLM go through mlpDenseLayer: one fused kernel each way for linear, relu and
// selu where the backend registers the fused dense kernels.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { PushforwardMap } from '../contracts/map.js';
import type { ConditionBatch } from '../contracts/condition.js';
import type { Rng } from '../rng/rng.js';
import { reserveParameters } from '../model/parameter-budget.js';
import { ACTIVATIONS, activate, type Activation } from './activations.js';
import { mlpDenseLayer } from './mlp-dense-layer.js';
import { conditionEmbedding, conditionOptionsSchema, type ConditionEmbedding } from './condition-embedding.js';

export const INITIALISATIONS = ['fan-in-uniform', 'glorot-uniform', 'he-normal', 'lecun-normal'] as const;

export const mlpOptionsSchema = z
  .object({
    inputDim: z.number().int().positive(),
    outputDim: z.number().int().positive(),
    hidden: z.array(z.number().int().positive()).default([64, 64, 64]),
    activation: z.enum(ACTIVATIONS).default('silu'),
    /** Activation of the output layer (`sigmoid` keeps outputs in (0, 1), e.g. for data in a box). */
    outputActivation: z.enum(ACTIVATIONS).default('linear'),
    /**
     * Initialisation: `fan-in-uniform` (default; W, b ~ U(±1/√fan_in), PyTorch's nn.Linear),
     * `glorot-uniform` (W ~ U(±√(6/(fan_in+fan_out))), b = 0), `he-normal` (W ~ N(0, 2/fan_in), b = 0)
     * or `lecun-normal` (W ~ N(0, 1/fan_in), b = 0, the law selu's self-normalisation assumes).
     */
    init: z.enum(INITIALISATIONS).default('fan-in-uniform'),
    /** Multiplies the initial last layer, weights and bias (0 starts at the zero map, e.g. for residual flows). */
    finalScale: z.number().min(0).default(1),
    /** Makes the map conditional, φ(z | c): a class or context embedding joined by concatenation or FiLM. Absent: unconditional. */
    condition: conditionOptionsSchema.optional(),
  })
  .strict();

export type MlpOptions = z.input<typeof mlpOptionsSchema>;

/** An MLP; conditional (with `condition` set) when built with the `condition` option. */
export interface Mlp extends PushforwardMap {
  readonly options: z.output<typeof mlpOptionsSchema>;
}

let mlpCounter = 0;

/** Creates an MLP with freshly initialised weights drawn from `rng`. */
export function mlp(options: MlpOptions, rng: Rng): Mlp {
  const parsed = mlpOptionsSchema.parse(options);
  const join = parsed.condition?.join;
  const embeddingDim = parsed.condition?.embeddingDim ?? 0;
  const widths = [parsed.inputDim + (join === 'concat' ? embeddingDim : 0), ...parsed.hidden, parsed.outputDim];
  let count = 0;
  for (let i = 0; i + 1 < widths.length; i++) count += (widths[i]! + 1) * widths[i + 1]!;
  reserveParameters(count, `mlp [${widths.join(' → ')}]`);
  const scope = `mlp${mlpCounter++}`;
  const variables: tf.Variable[] = [];
  const layers: { kernel: tf.Variable; bias: tf.Variable }[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const fanIn = widths[i]!;
    const fanOut = widths[i + 1]!;
    const layerRng = rng.fold(i);
    let values: Float32Array;
    let biasValues: Float32Array | undefined;
    if (parsed.init === 'fan-in-uniform') {
      const limit = 1 / Math.sqrt(fanIn);
      values = layerRng.uniformArray(fanIn * fanOut, -limit, limit);
      biasValues = layerRng.fold(1).uniformArray(fanOut, -limit, limit);
    } else if (parsed.init === 'glorot-uniform') {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      values = layerRng.uniformArray(fanIn * fanOut, -limit, limit);
    } else {
      const std = parsed.init === 'he-normal' ? Math.sqrt(2 / fanIn) : Math.sqrt(1 / fanIn);
      values = layerRng.normalArray(fanIn * fanOut).map((v) => v * std);
    }
    if (i + 2 === widths.length && parsed.finalScale !== 1) {
      values = values.map((v) => v * parsed.finalScale);
      biasValues = biasValues?.map((v) => v * parsed.finalScale);
    }
    const kernel = tf.tidy(() => tf.variable(tf.tensor2d(values, [fanIn, fanOut]), true, `${scope}/layer${i}/kernel`));
    const bias = tf.tidy(() => tf.variable(biasValues ? tf.tensor1d(biasValues) : tf.zeros([fanOut]), true, `${scope}/layer${i}/bias`));
    layers.push({ kernel, bias });
    variables.push(kernel, bias);
  }
  // Condition parameters come after the layers' (so an unconditional MLP keeps its weight order)
  // and draw from their own stream (so its initial weights are unchanged).
  let embedding: ConditionEmbedding | undefined;
  const films: { kernel: tf.Variable; bias: tf.Variable }[] = [];
  if (parsed.condition) {
    embedding = conditionEmbedding(parsed.condition, scope, rng.fold(1_000_003), 'mlp');
    variables.push(...embedding.variables);
    if (join === 'film') {
      for (let i = 0; i + 2 < widths.length; i++) {
        const width = 2 * widths[i + 1]!;
        reserveParameters((embeddingDim + 1) * width, `mlp FiLM layer ${i} [${embeddingDim} → ${width}]`);
        const kernel = tf.tidy(() => tf.variable(tf.zeros([embeddingDim, width]), true, `${scope}/layer${i}/film/kernel`));
        const bias = tf.tidy(() => tf.variable(tf.zeros([width]), true, `${scope}/layer${i}/film/bias`));
        films.push({ kernel, bias });
        variables.push(kernel, bias);
      }
    }
  }
  const act = parsed.activation as Activation;
  return {
    inputDim: parsed.inputDim,
    outputDim: parsed.outputDim,
    options: parsed,
    ...(embedding ? { condition: embedding.spec } : {}),
    variables,
    nfe: 1,
    apply(z: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D {
      if (z.rank !== 2 || z.shape[1] !== parsed.inputDim) {
        throw new RangeError(`mlp: expected input [n, ${parsed.inputDim}], got [${z.shape.join(', ')}]`);
      }
      if (!embedding && condition !== undefined) {
        throw new RangeError('mlp: this map is unconditional; it takes no condition (build it with the "condition" option)');
      }
      return tf.tidy(() => {
        const e = embedding?.embed(condition, z.shape[0]);
        let h: tf.Tensor = e && join === 'concat' ? tf.concat([z, e], 1) : z;
        layers.forEach(({ kernel, bias }, i) => {
          const activation = i + 1 < layers.length ? act : (parsed.outputActivation as Activation);
          const film = films[i];
          if (!e || !film) {
            h = mlpDenseLayer(h as tf.Tensor2D, kernel as tf.Tensor2D, bias as tf.Tensor1D, activation);
            return;
          }
          // FiLM modulates between the affine map and the activation, so this layer stays composed.
          const width = kernel.shape[1]!;
          const gammaBeta = tf.add(tf.matMul(e, film.kernel), film.bias);
          const [gamma, beta] = tf.split(gammaBeta, [width, width], 1);
          h = tf.add(tf.mul(tf.add(tf.matMul(h, kernel), bias), tf.add(gamma!, 1)), beta!);
          h = activate(h, activation);
        });
        return h as tf.Tensor2D;
      });
    },
    toSpec() {
      return { type: 'mlp', options: { ...parsed } };
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
