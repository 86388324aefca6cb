// The schema of results.json: one record per run (versions, backend, machine, seed, config,
// metrics). The writer validates against it before every write; the smoke test reads it back.
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

const blockW2Schema = z
  .object({ mean: finite.nonnegative(), std: finite.nonnegative(), blocks: z.number().int().positive(), size: z.number().int().positive() })
  .strict();

/** Quality and cost of one trained model. `nll` is null where the model has no density. */
export const runMetricsSchema = z
  .object({
    /** Exact W2 between model samples and held-out data (n against n). */
    w2: finite.nonnegative(),
    /** Mean W2 over disjoint random 1,000-point blocks (the published protocol's estimator); absent below 1,000 samples. */
    w2At1000: blockW2Schema.nullable().optional(),
    /**
     * The data's own floor: W2 between the training set and the held-out points (independent
     * samples of the same law), at n against n and in 1,000-point blocks.
     */
    dataFloor: z.object({ w2: finite.nonnegative().nullable(), w2At1000: blockW2Schema.nullable() }).strict().optional(),
    /** Energy distance (β = 1, unbiased estimator). */
    energy: finite,
    /** Squared Gaussian MMD, median bandwidth, unbiased estimator. */
    mmd: finite,
    /** Sliced W2 over 100 fixed directions. */
    slicedW: finite.nonnegative(),
    /** Mean negative log-likelihood of held-out data (nats), when the model has logProb. */
    nll: finite.nullable(),
    /** Function evaluations per sample with the model's default sampler. */
    nfe: finite.nonnegative(),
    trainSeconds: finite.nonnegative(),
    stepsPerSecond: finite.nonnegative(),
    /** Seconds to draw 10,000 samples (measured at n samples, scaled linearly). */
    sampleSecondsPer10k: finite.nonnegative(),
    /** Peak process.memoryUsage().rss during the run. */
    peakRssBytes: finite.nonnegative(),
    /** Peak tf.memory().numBytes during the run. */
    peakTfBytes: finite.nonnegative(),
    /** Trainable parameters of the model's maps (the budget rule is checked with it). */
    paramCount: z.number().int().nonnegative(),
    finalLoss: z.number().nullable(),
  })
  .strict();

/** One point of the quality-against-NFE front: Euler with `steps` steps. */
export const nfePointSchema = z
  .object({ integrator: z.string(), steps: z.number().int().positive(), nfe: finite.nonnegative(), w2: finite.nonnegative(), energy: finite })
  .strict();

export const runRecordSchema = z
  .object({
    /** sha256 of the canonical JSON of (config, data set, seed, evaluation settings, backend). */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    /** The config's name (its file name without .json). */
    name: z.string().min(1),
    method: z.string().min(1),
    dataset: z.string().min(1),
    seed: z.number().int(),
    status: z.enum(['ok', 'failed']),
    error: z.string().optional(),
    config: z.record(z.string(), z.unknown()),
    settings: z
      .object({ quick: z.boolean(), samples: z.number().int().positive(), trainSize: z.number().int().positive(), dataset: z.record(z.string(), z.unknown()) })
      .strict(),
    backend: z.string(),
    versions: z.record(z.string(), z.string()),
    machine: z.object({ os: z.string(), cpuModel: z.string(), cpuCount: z.number().int().nonnegative() }).strict(),
    startedAt: z.string(),
    metrics: runMetricsSchema.optional(),
    nfeSweep: z.array(nfePointSchema).optional(),
    /** Primary loss, subsampled to at most 200 points, every `lossEvery` steps. */
    lossCurve: z.array(z.number().nullable()).optional(),
    lossEvery: z.number().int().positive().optional(),
    /** Up to 400 model samples (row-major, `dim` columns, 3 decimals) for the sample grid. */
    preview: z.array(z.number()).optional(),
    dim: z.number().int().positive().optional(),
    /** Tensors still alive after the run that were not before it (0 when the method cleans up). */
    leakedTensors: z.number().int().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.status === 'ok' && r.metrics === undefined) ctx.addIssue({ code: 'custom', message: 'a run with status ok needs metrics', path: ['metrics'] });
    if (r.status === 'failed' && r.error === undefined) ctx.addIssue({ code: 'custom', message: 'a failed run needs its error', path: ['error'] });
  });

export const resultsFileSchema = z
  .object({ format: z.literal('pfm-bench-results'), version: z.literal(1), records: z.array(runRecordSchema) })
  .strict();

export type RunMetrics = z.output<typeof runMetricsSchema>;
export type NfePoint = z.output<typeof nfePointSchema>;
export type RunRecord = z.output<typeof runRecordSchema>;
export type ResultsFile = z.output<typeof resultsFileSchema>;
