// A convolutional encoder images → R^outputDim, the DCGAN discriminator's shape (Radford et al. 2016):
//   x ↦ reshape to [h, w, c] → L × (3×3 conv of stride 2, [norm], σ) → flatten → dense layers → σ_out.
// Strided convolutions replace pooling (Springenberg et al. 2015). No normalisation by default: a
// WGAN-GP critic's gradient penalty is per sample, and group norm would still be valid, batch norm not
// (Gulrajani et al. 2017, §4).
// With `condition`, NN(x | c): the condition embedding e(c) (condition-embedding) is appended to the
// flattened features before the dense layers, as the conditional VAE's encoder q(z | x, c) reads
// its condition (Sohn et al. 2015); give `hidden` layers so features and condition interact.
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

export const convEncoderOptionsSchema = z
  .object({
    /** Shape of one input image `[h, w, c]`; rows in are `[n, h·w·c]` in NHWC order. */
    inputShape: imageShapeSchema,
    outputDim: z.number().int().positive(),
    /** Output channels of each stride-2 3×3 convolution (each halves h and w, rounding up). */
    channels: z.array(z.number().int().positive()).min(1).default([32, 64]),
    /** Widths of the dense layers between the flattened features and the output. */
    hidden: z.array(z.number().int().positive()).default([]),
    /** Normalisation after each convolution (default `none`), its groups, the hidden activation. */
    ...convNormOptions('none'),
    outputActivation: z.enum(ACTIVATIONS).default('linear'),
    /**
     * Makes the map conditional: a class or context embedding e(c) of width `embeddingDim`
     * appended to the flattened features (`join` must be `concat`). Absent: unconditional.
     */
    condition: conditionOptionsSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.condition?.join === 'film') {
      ctx.addIssue({ code: 'custom', path: ['condition', 'join'], message: 'conv-encoder joins the condition to the flattened features; expected "concat", got "film"' });
    }
    checkNormGroups(o, ctx);
  });

export type ConvEncoderOptions = z.input<typeof convEncoderOptionsSchema>;

export interface ConvEncoder extends PushforwardMap {
  readonly options: z.output<typeof convEncoderOptionsSchema>;
  /** `[h, w, c]` of one input image. */
  readonly inputShape: readonly [number, number, number];
}

let convEncoderCounter = 0;

/**
 * Creates a convolutional encoder `[n, h·w·c]` → `[n, outputDim]` with freshly initialised weights
 * (PyTorch's default laws). Source: Radford et al., ICLR 2016 (DCGAN discriminator), §3.
 */
export function convEncoder(options: ConvEncoderOptions, rng: Rng): ConvEncoder {
  const parsed = convEncoderOptionsSchema.parse(options);
  const [h, w, c] = parsed.inputShape;
  const scope = `conv-encoder${convEncoderCounter++}`;
  const params = layerParameters(scope, rng);
  const convs: WeightLayer[] = [];
  const norms: ScaleShiftLayer[] = [];
  let [gh, gw, gc] = [h, w, c];
  parsed.channels.forEach((channels, i) => {
    convs.push(params.conv(`down${i}`, 3, gc, channels));
    if (parsed.norm === 'group') norms.push(params.scaleShift(`norm${i}`, channels));
    [gh, gw, gc] = [Math.ceil(gh / 2), Math.ceil(gw / 2), channels];
  });
  const embeddingDim = parsed.condition ? parsed.condition.embeddingDim : 0;
  const widths = [gh * gw * gc + embeddingDim, ...parsed.hidden, parsed.outputDim];
  const dense = widths.slice(1).map((width, i) => params.dense(`dense${i}`, widths[i]!, width));
  const variables = params.allocate(`conv-encoder [${h}×${w}×${c} → ${gh}×${gw}×${gc} → ${widths.slice(1).join(' → ')}]`);
  // The embedding's variables come after the layers' and draw from their own stream, as in mlp and unet.
  const conditioning = parsed.condition ? conditionEmbedding(parsed.condition, scope, rng.fold(1_000_003), 'conv-encoder') : undefined;
  if (conditioning) variables.push(...conditioning.variables);
  return {
    inputDim: h * w * c,
    outputDim: parsed.outputDim,
    inputShape: [h, w, c],
    options: parsed,
    ...(conditioning ? { condition: conditioning.spec } : {}),
    variables,
    nfe: 1,
    apply(x: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D {
      if (x.rank !== 2 || x.shape[1] !== h * w * c) {
        throw new RangeError(`conv-encoder: expected input [n, ${h * w * c}] (images ${h}×${w}×${c}), got [${x.shape.join(', ')}]`);
      }
      if (!conditioning && condition !== undefined) {
        throw new RangeError('conv-encoder: this map is unconditional; it takes no condition (build it with the "condition" option)');
      }
      return tf.tidy(() => {
        const n = x.shape[0];
        let g = tf.reshape(x, [n, h, w, c]) as tf.Tensor4D;
        convs.forEach((layer, i) => {
          const y = layerOps.conv(g, layer, 2);
          g = activate(parsed.norm === 'group' ? layerOps.groupNorm(y, norms[i]!, parsed.groups) : y, parsed.activation) as tf.Tensor4D;
        });
        let f = tf.reshape(g, [n, gh * gw * gc]) as tf.Tensor2D;
        if (conditioning) f = tf.concat([f, conditioning.embed(condition, n)], 1) as tf.Tensor2D;
        dense.forEach((layer, i) => {
          f = activate(layerOps.dense(f, layer), i + 1 < dense.length ? parsed.activation : parsed.outputActivation) as tf.Tensor2D;
        });
        return f;
      });
    },
    toSpec() {
      return { type: 'conv-encoder', options: { ...parsed } };
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
