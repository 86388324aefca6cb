// A DCGAN-style convolutional decoder φ: R^k → images (Radford, Metz & Chintala, "Unsupervised
// representation learning with deep convolutional generative adversarial networks", ICLR 2016):
//   z ↦ dense → reshape to a [h₀, w₀, c₀] grid → U × (×2 upsampling, 3×3 conv, norm, σ) → 3×3 conv → crop → σ_out,
// with h₀ = ⌈h / 2^U⌉, w₀ = ⌈w / 2^U⌉, so the last grid covers [h, w] and is cropped to it (top-left).
// Upsampling is nearest-neighbour then a 3×3 conv (Odena et al. 2016, "Deconvolution and checkerboard
// artifacts") or DCGAN's 4×4 transposed convolution of stride 2.
// With `condition`, φ(z | c) = φ([z, e(c)]): the condition embedding e(c) (condition-embedding) is
// appended to the latent before the dense projection, the conditional DCGAN of Mirza & Osindero
// (2014) and of the conditional VAE decoder p(x | z, c) (Sohn et al. 2015).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { PushforwardMap } from '../contracts/map.js';
import type { ConditionBatch } from '../contracts/condition.js';
import { conditionEmbedding, conditionOptionsSchema } from './condition-embedding.js';
import type { Rng } from '../rng/rng.js';
import { ACTIVATIONS, activate } from './activations.js';
import { checkNormGroups, convNormOptions } from './conv-norm-options.js';
import { imageShapeSchema } from './image-shape.js';
import { layerParameters, type ScaleShiftLayer, type WeightLayer } from './layer-parameters.js';
import { layerOps } from './layer-ops.js';

export const convGeneratorOptionsSchema = z
  .object({
    /** Latent dimension k (the input rows `[n, k]`). */
    inputDim: z.number().int().positive(),
    /** Shape of one output image `[h, w, c]`; rows out are `[n, h·w·c]` in NHWC order. */
    outputShape: imageShapeSchema,
    /** Channels of the first grid, then after each ×2 upsampling (length − 1 upsamplings). */
    channels: z.array(z.number().int().positive()).min(2).default([64, 32, 16]),
    /** `nearest-conv`: nearest ×2 then 3×3 conv; `transposed`: 4×4 transposed conv of stride 2. */
    upsample: z.enum(['nearest-conv', 'transposed']).default('nearest-conv'),
    /** Normalisation after each hidden layer (default `group`), its groups, the hidden activation. */
    ...convNormOptions('group'),
    /** Activation of the output (`sigmoid` for data in [0, 1], `linear` for unbounded data). */
    outputActivation: z.enum(ACTIVATIONS).default('sigmoid'),
    /** Multiplies the initial last conv, kernel and bias. */
    finalScale: z.number().min(0).default(1),
    /**
     * Makes the map conditional, φ(z | c): a class or context embedding e(c) of width
     * `embeddingDim` appended to the latent (`join` must be `concat`). Absent: unconditional.
     */
    condition: conditionOptionsSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.condition?.join === 'film') {
      ctx.addIssue({ code: 'custom', path: ['condition', 'join'], message: 'conv-generator joins the condition to the latent; expected "concat", got "film"' });
    }
    checkNormGroups(o, ctx);
  });

export type ConvGeneratorOptions = z.input<typeof convGeneratorOptionsSchema>;

export interface ConvGenerator extends PushforwardMap {
  readonly options: z.output<typeof convGeneratorOptionsSchema>;
  /** `[h, w, c]` of one output image. */
  readonly outputShape: readonly [number, number, number];
}

let convGeneratorCounter = 0;

/**
 * Creates a convolutional generator `[n, inputDim]` → `[n, h·w·c]` with freshly initialised weights
 * (PyTorch's default laws). Source: Radford et al., ICLR 2016 (DCGAN), §3.
 */
export function convGenerator(options: ConvGeneratorOptions, rng: Rng): ConvGenerator {
  const parsed = convGeneratorOptionsSchema.parse(options);
  const [h, w, c] = parsed.outputShape;
  const { channels } = parsed;
  const ups = channels.length - 1;
  const h0 = Math.ceil(h / 2 ** ups);
  const w0 = Math.ceil(w / 2 ** ups);
  const scope = `conv-generator${convGeneratorCounter++}`;
  const params = layerParameters(scope, rng);
  const embeddingDim = parsed.condition ? parsed.condition.embeddingDim : 0;
  const project = params.dense('project', parsed.inputDim + embeddingDim, h0 * w0 * channels[0]!);
  const norms: ScaleShiftLayer[] = [];
  const upLayers: WeightLayer[] = [];
  if (parsed.norm === 'group') norms.push(params.scaleShift('norm0', channels[0]!));
  for (let i = 1; i <= ups; i++) {
    upLayers.push(
      parsed.upsample === 'transposed'
        ? params.convTranspose(`up${i}`, 4, channels[i - 1]!, channels[i]!)
        : params.conv(`up${i}`, 3, channels[i - 1]!, channels[i]!),
    );
    if (parsed.norm === 'group') norms.push(params.scaleShift(`norm${i}`, channels[i]!));
  }
  const out = params.conv('out', 3, channels[ups]!, c, parsed.finalScale);
  const variables = params.allocate(`conv-generator [${parsed.inputDim} → ${h0}×${w0}×${channels[0]} → ${h}×${w}×${c}]`);
  // The embedding's variables come after the layers' and draw from their own stream, as in mlp and unet.
  const conditioning = parsed.condition ? conditionEmbedding(parsed.condition, scope, rng.fold(1_000_003), 'conv-generator') : undefined;
  if (conditioning) variables.push(...conditioning.variables);
  const hidden = (x: tf.Tensor4D, i: number): tf.Tensor4D => {
    const normed = parsed.norm === 'group' ? layerOps.groupNorm(x, norms[i]!, parsed.groups) : x;
    return activate(normed, parsed.activation) as tf.Tensor4D;
  };
  return {
    inputDim: parsed.inputDim,
    outputDim: h * w * c,
    outputShape: [h, w, c],
    options: parsed,
    ...(conditioning ? { condition: conditioning.spec } : {}),
    variables,
    nfe: 1,
    apply(z: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D {
      if (z.rank !== 2 || z.shape[1] !== parsed.inputDim) {
        throw new RangeError(`conv-generator: expected input [n, ${parsed.inputDim}], got [${z.shape.join(', ')}]`);
      }
      if (!conditioning && condition !== undefined) {
        throw new RangeError('conv-generator: this map is unconditional; it takes no condition (build it with the "condition" option)');
      }
      return tf.tidy(() => {
        const n = z.shape[0];
        const input = conditioning ? tf.concat([z, conditioning.embed(condition, n)], 1) : z;
        let x = hidden(tf.reshape(layerOps.dense(input as tf.Tensor2D, project), [n, h0, w0, channels[0]!]), 0);
        upLayers.forEach((layer, i) => {
          const up = parsed.upsample === 'transposed' ? layerOps.convTranspose(x, layer) : layerOps.conv(layerOps.upsample(x), layer);
          x = hidden(up, i + 1);
        });
        const image = activate(layerOps.crop(layerOps.conv(x, out), h, w), parsed.outputActivation);
        return tf.reshape(image, [n, h * w * c]);
      });
    },
    toSpec() {
      return { type: 'conv-generator', options: { ...parsed } };
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
