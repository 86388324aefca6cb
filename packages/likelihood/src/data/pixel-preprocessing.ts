// Preprocessing of image data in [0, 1] for a density model (Dinh, Sohl-Dickstein & Bengio 2017,
// "Real NVP", §4.1; Papamakarios, Pavlakou & Murray 2017, "MAF", §4.3; Theis, van den Oord &
// Bethge 2016 for uniform dequantisation):
//   dequantisation  x̃ = (x·(K − 1) + u)/K,  u ~ U[0, 1)^d   (K = levels, 256 for 8-bit pixels),
//   logit transform y = logit(λ + (1 − 2λ) x̃)              (the flow models y),
// so the model is a density on [0, 1]^d whose likelihood bounds that of the discrete data.
import { z } from 'zod';

/** Options of `preprocess` on realnvp, nsf and flow-mle (absent: the data are modelled as they are). */
export const pixelPreprocessingSchema = z
  .object({
    /** Train on x̃ = (x·(K − 1) + u)/K, u ~ U[0, 1)^d, and report bits per dimension. */
    dequantize: z.boolean().default(true),
    /** K: the number of values a pixel takes (256 for 8-bit images, whose values are k/255). */
    levels: z.number().int().min(2).max(65_536).default(256),
    /** λ of the logit transform y = logit(λ + (1 − 2λ) x̃), in (0, ½) (RealNVP: 1e-6 for MNIST, 0.05 for CIFAR-10), or false for none. */
    logit: z.union([z.literal(false), z.number().gt(0).lt(0.5)]).default(1e-6),
  })
  .strict();

/** Parsed `preprocess` options. */
export type PixelPreprocessing = z.output<typeof pixelPreprocessingSchema>;
/** `preprocess` options as written in a recipe. */
export type PixelPreprocessingOptions = z.input<typeof pixelPreprocessingSchema>;
