// A small U-Net v(t, x) on images for velocity and score fields (Ronneberger, Fischer & Brox 2015),
// in the variant of DDPM (Ho, Jain & Abbeel 2020, appendix B): a sinusoidal embedding of t through a
// two-layer MLP, residual blocks GN → SiLU → conv3×3 → (+ dense(SiLU(e(t)))) → GN → SiLU → conv3×3
// with a 1×1 conv on the skip when the width changes, L resolutions (×½ by a stride-2 conv, ×2 by
// nearest upsampling and a conv), the encoder's activations concatenated into the decoder, and an
// output GN → SiLU → conv3×3 initialised at `finalScale` × PyTorch's law (0: DDPM's zero init).
// Sizes not divisible by 2^(L−1) are zero-padded at the bottom/right and the output cropped back.
// Self-attention of DDPM's 16×16 level is left out to stay cheap on a CPU.
// With `condition`, v(t, x | c): the condition embedding e(c) (width 4C, condition-embedding) is
// added to the time embedding before its last SiLU, so it reaches every residual block with it.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { VectorField } from '../contracts/map.js';
import type { ConditionBatch } from '../contracts/condition.js';
import { conditionEmbedding, conditionOptionsSchema } from './condition-embedding.js';
import type { Rng } from '../rng/rng.js';
import { imageShapeSchema } from './image-shape.js';
import { layerParameters, type ScaleShiftLayer, type WeightLayer } from './layer-parameters.js';
import { layerOps } from './layer-ops.js';
import { silu } from './silu.js';

export const unetOptionsSchema = z
  .object({
    /** Shape of one image `[h, w, c]`; rows are `[n, h·w·c]` in NHWC order. */
    shape: imageShapeSchema,
    /** Base width C: level l has C·channelMult[l] channels. */
    channels: z.number().int().positive().default(16),
    /** Width multipliers of the resolutions (length L: L − 1 halvings, e.g. 28 → 14 → 7). */
    channelMult: z.array(z.number().int().positive()).min(1).max(4).default([1, 2, 2]),
    /** Residual blocks per resolution on the way down (the way up has one more, as in DDPM). */
    blocks: z.number().int().positive().default(1),
    /** Groups of every group norm; must divide channels·channelMult[l] for every l. */
    groups: z.number().int().positive().default(8),
    /** Frequencies F of the sinusoidal time embedding (2F features). */
    timeFrequencies: z.number().int().positive().default(16),
    /** t ∈ [0, 1] is multiplied by this before the embedding (DDPM's steps are 0…999). */
    timeScale: z.number().positive().default(1000),
    /** Multiplies the initial output conv (0, the default, starts at v = 0 as DDPM does). */
    finalScale: z.number().min(0).default(0),
    /** Makes the field conditional (classes or contextDim); its embedding has the time embedding's width 4C and is added to it (`join` and `embeddingDim` do not apply). */
    condition: conditionOptionsSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const bad = o.channelMult.map((m) => m * o.channels).find((c) => c % o.groups !== 0);
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['groups'], message: `${o.groups} groups do not divide ${bad} channels (channels ${o.channels} × channelMult ${JSON.stringify(o.channelMult)})` });
    }
  });

export type UnetOptions = z.input<typeof unetOptionsSchema>;

export interface Unet extends VectorField {
  readonly options: z.output<typeof unetOptionsSchema>;
  /** `[h, w, c]` of one image. */
  readonly shape: readonly [number, number, number];
}

interface ResBlock {
  norm1: ScaleShiftLayer;
  conv1: WeightLayer;
  time: WeightLayer;
  norm2: ScaleShiftLayer;
  conv2: WeightLayer;
  skip?: WeightLayer;
}

let unetCounter = 0;

/**
 * Creates a U-Net velocity/score field v(t, x): `[n, h·w·c]` → `[n, h·w·c]`, t a scalar or `[n]`.
 * Source: Ronneberger et al., MICCAI 2015; Ho et al., "Denoising diffusion probabilistic models",
 * NeurIPS 2020, appendix B.
 */
export function unet(options: UnetOptions, rng: Rng): Unet {
  const parsed = unetOptionsSchema.parse(options);
  const [h, w, c] = parsed.shape;
  const { groups, channelMult } = parsed;
  const levels = channelMult.length;
  const multiple = 2 ** (levels - 1);
  const [ph, pw] = [Math.ceil(h / multiple) * multiple, Math.ceil(w / multiple) * multiple];
  const widths = channelMult.map((m) => m * parsed.channels);
  const frequencies = parsed.timeFrequencies;
  const timeWidth = 4 * parsed.channels;
  const scope = `unet${unetCounter++}`;
  const params = layerParameters(scope, rng);
  const time1 = params.dense('time/dense0', 2 * frequencies, timeWidth);
  const time2 = params.dense('time/dense1', timeWidth, timeWidth);
  const resBlock = (name: string, cIn: number, cOut: number): ResBlock => ({
    norm1: params.scaleShift(`${name}/norm1`, cIn),
    conv1: params.conv(`${name}/conv1`, 3, cIn, cOut),
    time: params.dense(`${name}/time`, timeWidth, cOut),
    norm2: params.scaleShift(`${name}/norm2`, cOut),
    conv2: params.conv(`${name}/conv2`, 3, cOut, cOut),
    ...(cIn !== cOut ? { skip: params.conv(`${name}/skip`, 1, cIn, cOut) } : {}),
  });
  const input = params.conv('in', 3, c, widths[0]!);
  const skips: number[] = [widths[0]!];
  const down: { blocks: ResBlock[]; downsample?: WeightLayer }[] = [];
  let width = widths[0]!;
  for (let l = 0; l < levels; l++) {
    const blocks: ResBlock[] = [];
    for (let b = 0; b < parsed.blocks; b++) {
      blocks.push(resBlock(`down${l}/res${b}`, width, widths[l]!));
      width = widths[l]!;
      skips.push(width);
    }
    const downsample = l + 1 < levels ? params.conv(`down${l}/downsample`, 3, width, width) : undefined;
    if (downsample) skips.push(width);
    down.push({ blocks, ...(downsample ? { downsample } : {}) });
  }
  const middle = resBlock('middle', width, width);
  const up: { blocks: ResBlock[]; upsample?: WeightLayer }[] = [];
  for (let l = levels - 1; l >= 0; l--) {
    const blocks: ResBlock[] = [];
    for (let b = 0; b <= parsed.blocks; b++) {
      blocks.push(resBlock(`up${l}/res${b}`, width + skips.pop()!, widths[l]!));
      width = widths[l]!;
    }
    const upsample = l > 0 ? params.conv(`up${l}/upsample`, 3, width, width) : undefined;
    up.push({ blocks, ...(upsample ? { upsample } : {}) });
  }
  const outNorm = params.scaleShift('out/norm', width);
  const output = params.conv('out/conv', 3, width, c, parsed.finalScale);
  const variables = params.allocate(`unet [${h}×${w}×${c}, channels ${widths.join(', ')}]`);
  const conditioning = parsed.condition ? conditionEmbedding({ ...parsed.condition, embeddingDim: timeWidth }, scope, rng.fold(1_000_003), 'unet') : undefined;
  if (conditioning) variables.push(...conditioning.variables);

  const omegas = Float32Array.from({ length: frequencies }, (_, k) => parsed.timeScale * Math.exp((-Math.log(10000) * k) / Math.max(frequencies - 1, 1)));
  // One residual block. Biases that meet in a sum are added once: conv1's bias joins the time
  // projection's in the per-sample shift [n, 1, 1, C] (one broadcast add on the feature map instead
  // of two), and with a 1×1 skip, conv2's bias joins the skip's. Same parameters, same function.
  const applyRes = (x: tf.Tensor4D, block: ResBlock, temb: tf.Tensor2D): tf.Tensor4D => {
    const n = x.shape[0];
    const cOut = block.conv1.bias.shape[0]!;
    const shift = tf.reshape(tf.add(tf.matMul(temb, block.time.kernel as tf.Tensor2D), tf.add(block.time.bias, block.conv1.bias)), [n, 1, 1, cOut]);
    const y = tf.add(layerOps.convWithoutBias(silu(layerOps.groupNorm(x, block.norm1, groups)) as tf.Tensor4D, block.conv1), shift) as tf.Tensor4D;
    const z = layerOps.convWithoutBias(silu(layerOps.groupNorm(y, block.norm2, groups)) as tf.Tensor4D, block.conv2);
    if (block.skip) return tf.add(tf.add(layerOps.convWithoutBias(x, block.skip), z), tf.add(block.skip.bias, block.conv2.bias));
    return tf.add(tf.add(x, z), block.conv2.bias);
  };
  return {
    dim: h * w * c,
    shape: [h, w, c],
    options: parsed,
    ...(conditioning ? { condition: conditioning.spec } : {}),
    variables,
    evaluate(t: tf.Tensor | number, x: tf.Tensor2D, condition?: ConditionBatch): tf.Tensor2D {
      if (x.rank !== 2 || x.shape[1] !== h * w * c) {
        throw new RangeError(`unet: expected x [n, ${h * w * c}] (images ${h}×${w}×${c}), got [${x.shape.join(', ')}]`);
      }
      return tf.tidy(() => {
        const n = x.shape[0];
        const tt = typeof t === 'number' ? tf.scalar(t) : t;
        if (tt.rank !== 0 && tt.size !== n) throw new RangeError(`unet: t has ${tt.size} entries for ${n} rows`);
        const column = tt.rank === 0 ? tf.mul(tf.ones([n, 1]), tt) : tf.reshape(tt, [n, 1]);
        const angles = tf.mul(column, tf.tensor2d(omegas, [1, frequencies]));
        const embedding = tf.concat([tf.sin(angles), tf.cos(angles)], 1) as tf.Tensor2D;
        if (!conditioning && condition !== undefined) throw new RangeError('unet: this field is unconditional; it takes no condition (build it with the "condition" option)');
        const timeHidden = layerOps.dense(silu(layerOps.dense(embedding, time1)) as tf.Tensor2D, time2);
        const temb = silu(conditioning ? tf.add(timeHidden, conditioning.embed(condition, n)) : timeHidden) as tf.Tensor2D;
        let g = layerOps.conv(layerOps.pad(tf.reshape(x, [n, h, w, c]) as tf.Tensor4D, ph, pw), input);
        const kept: tf.Tensor4D[] = [g];
        for (const level of down) {
          for (const block of level.blocks) {
            g = applyRes(g, block, temb);
            kept.push(g);
          }
          if (level.downsample) {
            g = layerOps.conv(g, level.downsample, 2);
            kept.push(g);
          }
        }
        g = applyRes(g, middle, temb);
        for (const level of up) {
          for (const block of level.blocks) g = applyRes(tf.concat([g, kept.pop()!], 3) as tf.Tensor4D, block, temb);
          if (level.upsample) g = layerOps.conv(layerOps.upsample(g), level.upsample);
        }
        const out = layerOps.conv(silu(layerOps.groupNorm(g, outNorm, groups)) as tf.Tensor4D, output);
        return tf.reshape(layerOps.crop(out, h, w), [n, h * w * c]) as tf.Tensor2D;
      });
    },
    toSpec() {
      return { type: 'unet', options: { ...parsed } };
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
