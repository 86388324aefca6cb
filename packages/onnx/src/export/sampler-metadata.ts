// What an exported graph is and how to sample with it, stored in the ONNX model's metadata_props
// under the key `pfm.sampler` as JSON, so a runtime needs nothing but the .onnx file.
import { z } from 'zod';

/** The metadata key that holds {@link OnnxSamplerMetadata}. */
export const SAMPLER_METADATA_KEY = 'pfm.sampler';

export const onnxSamplerMetadataSchema = z
  .object({
    /**
     * `one-step`: input `z` `[n, noiseDim]` → output `x` `[n, dim]`;
     * `velocity-field`: inputs `t` `[n]`, `x` `[n, dim]` → output `v` `[n, dim]`, integrated from t0 to t1 by the runtime;
     * `fixed-step-sampler`: input `z` `[n, dim]` → output `x` `[n, dim]`, `steps` steps of `integrator` unrolled.
     */
    kind: z.enum(['one-step', 'velocity-field', 'fixed-step-sampler']),
    /** The objective id of the pfm model (`mmd`, `flow-matching`, …). */
    method: z.string(),
    /** Dimension of one sample. */
    dim: z.number().int().positive(),
    /** Dimension of the noise the graph (or its integration) starts from. */
    noiseDim: z.number().int().positive(),
    /** The noise law: N(0, I) or uniform on [0, 1]^noiseDim. */
    noise: z.enum(['gaussian', 'uniform']),
    /** Shape of one sample when it is more than a vector (`[h, w, c]`). */
    eventShape: z.array(z.number().int().positive()).optional(),
    /** Integration interval of a velocity field or unrolled sampler. */
    t0: z.number().optional(),
    t1: z.number().optional(),
    /** The fixed-step integrator unrolled (`fixed-step-sampler`) or the model's default one (`velocity-field`). */
    integrator: z.enum(['euler', 'midpoint', 'heun', 'rk4']).optional(),
    steps: z.number().int().positive().optional(),
    /**
     * What a conditional model is conditioned on; the graph then has the input `label` (int64
     * `[n]`, classes 0…classes − 1) or `context` (float32 `[n, dim]`).
     */
    condition: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('class'), classes: z.number().int().min(2) }).strict(),
        z.object({ kind: z.literal('context'), dim: z.number().int().positive() }).strict(),
      ])
      .optional(),
    /**
     * Classifier-free guidance of a conditional velocity field, v_∅ + w (v_c − v_∅): `input` when
     * the graph takes w as its scalar input `guidance`, or the scale fixed in the graph (1: the
     * conditional field alone).
     */
    guidance: z.union([z.literal('input'), z.number()]).optional(),
  })
  .strict();

/** What an exported graph is and how to sample it. */
export type OnnxSamplerMetadata = z.output<typeof onnxSamplerMetadataSchema>;
