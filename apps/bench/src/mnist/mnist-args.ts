// Command-line options of `pnpm bench --suite mnist`.
import { integerValue, list, oneOfValue, parseSuiteArgs, pathValue, positiveValue, type SuiteFlag } from '../cli/suite-args.js';
import { MNIST_METHODS, type MnistMethod, type MnistRecipeSettings } from './mnist-recipes.js';

/** Parsed options of the MNIST track. */
export interface MnistArgs {
  methods: MnistMethod[];
  seeds: number[];
  /** Training steps of every method (the budget ends at whichever of steps and minutes comes first). */
  steps: number;
  /** Training minutes of every method (evaluation time not counted). */
  minutes: number;
  /** Model samples of FLD and KID (the test split has 1,000 digits). */
  samples: number;
  /** Model samples of the FLD at each training checkpoint. */
  checkpointSamples: number;
  /** Fractions of the budget where FLD is measured during training (the end is always measured). */
  checkpoints: number[];
  /** Euler step counts of the FLD-against-NFE sweep of flow matching. */
  nfeSteps: number[];
  /** Training digits used (a class-balanced subset of the 9,000 when smaller). */
  trainSize: number;
  /** Flow-matching teacher trajectories the distillation fits (`options.pairs`). */
  distillPairs: number;
  /** Euler steps of the teacher's trajectories in the distillation. */
  distillTeacherSteps: number;
  /** Euler steps of flow matching's default sampler (its headline FLD and NFE). */
  flowSamplerSteps: number;
  batchSize: number;
  quick: boolean;
  out: string;
  /** Threads of the wasm backend and of torch. */
  threads: number;
  /** Skip the PyTorch twin even when a python with torch is found. */
  pfmOnly: boolean;
  /** The twin script (default: `reference/mnist-twin.py` of the bench). */
  twin?: string;
  /** Run the class-conditional case (guided flow matching and its distilled maps) instead of the methods. */
  conditional: boolean;
  /** Guidance scales w of the class-conditional case. */
  guidance: number[];
  /** Guidance scales w at which the class-conditional teacher is distilled into a one-step map. */
  distillGuidance: number[];
  /** Training steps of each distillation of the class-conditional case. */
  distillSteps: number;
  /** Training minutes of each distillation of the class-conditional case. */
  distillMinutes: number;
}

/** Guidance scales of the class-conditional case by default: unconditional, conditional, and four guided. */
export const MNIST_GUIDANCE = [0, 1, 2, 4, 6, 8] as const;

/** Guidance scales the class-conditional teacher is distilled at by default (the smallest measured ≥ 95%). */
export const MNIST_DISTILL_GUIDANCE = [6] as const;

/**
 * The default settings of `--conditional` (without `--quick`): what reached a class accuracy ≥ 95%
 * on one shared core in about 40 minutes (bench README). The teacher is the class-conditional MLP
 * of `conditional-mnist.ts` (far cheaper per step than the U-Net), trained 15 minutes at batch 128;
 * each distillation 3 minutes on 4,096 guided teacher samples.
 */
export const MNIST_CONDITIONAL = {
  steps: 20_000,
  minutes: 15,
  samples: 1000,
  checkpointSamples: 1000,
  checkpoints: [],
  nfeSteps: [],
  distillPairs: 4096,
  distillTeacherSteps: 32,
  flowSamplerSteps: 50,
  batchSize: 128,
  distillSteps: 20_000,
  distillMinutes: 3,
} as const;

/** The settings of `--quick`: the whole suite in about ten minutes on one core (half a minute of training per method). */
export const MNIST_QUICK = {
  steps: 400,
  minutes: 0.5,
  samples: 1000,
  checkpointSamples: 250,
  checkpoints: [0.5],
  nfeSteps: [1, 2, 4, 8],
  distillPairs: 256,
  distillTeacherSteps: 8,
  flowSamplerSteps: 8,
} as const;

/** The default settings: about 20 minutes of training per method. */
export const MNIST_FULL = {
  steps: 20_000,
  minutes: 20,
  samples: 1000,
  checkpointSamples: 1000,
  checkpoints: [0.125, 0.25, 0.5],
  nfeSteps: [1, 2, 4, 8, 32, 100],
  distillPairs: 4096,
  distillTeacherSteps: 32,
  flowSamplerSteps: 100,
} as const;

export const MNIST_HELP = `pnpm bench --suite mnist [options]
  Trains each method on the 9,000 MNIST training digits within a budget of steps and minutes
  (whichever ends first; evaluation time not counted) and measures it on the 1,000 test digits:
  FLD and KID of clipped samples, bits/dim (realnvp, nsf, vae), NFE, sampling ms per image, steps/s,
  FLD against Euler steps (flow matching) and against training time. Writes mnist.json
  (resumable), mnist.md, the recipes and an 8×8 sample grid per method. The PyTorch twin
  (reference/mnist-twin.py) runs when it exists and a python with torch is found.
  --methods a,b     ${MNIST_METHODS.join(', ')} (default: all)
  --seeds 0,1       seeds (default 0)
  --quick           ${MNIST_QUICK.steps} steps or ${MNIST_QUICK.minutes * 60} s per method, FLD at ${MNIST_QUICK.checkpoints.join(', ')} of
                    the budget on ${MNIST_QUICK.checkpointSamples} samples, Euler steps ${MNIST_QUICK.nfeSteps.join(', ')}
                    (default: ${MNIST_FULL.steps} steps or ${MNIST_FULL.minutes} minutes, checkpoints ${MNIST_FULL.checkpoints.join(', ')},
                    Euler steps ${MNIST_FULL.nfeSteps.join(', ')}); flow matching samples with ${MNIST_QUICK.flowSamplerSteps}
                    Euler steps (default ${MNIST_FULL.flowSamplerSteps}), distillation fits ${MNIST_QUICK.distillPairs} teacher trajectories
                    of ${MNIST_QUICK.distillTeacherSteps} steps (default ${MNIST_FULL.distillPairs} of ${MNIST_FULL.distillTeacherSteps})
  --steps N         training steps per method
  --minutes M       training minutes per method
  --samples N       model samples of FLD and KID (default 1000)
  --checkpoint-samples N  model samples of the FLD at checkpoints
  --checkpoints f,g fractions of the budget in (0, 1) where FLD is measured during training
  --nfe-steps a,b   Euler steps of flow matching's FLD-against-NFE sweep
  --train-size N    training digits (default 9000: the whole split)
  --batch-size N    batch size (default 64)
  --threads N       threads of wasm and of torch (default 1)
  --pfm-only        do not run the twin
  --twin FILE       the twin script (default reference/mnist-twin.py)
  --out DIR         output folder (default bench-mnist)
  --conditional     instead of the methods, the class-conditional case: flow matching on the digits
                    and their labels (a class-conditional MLP, condition dropout 0.1) sampled with
                    classifier-free guidance w, and one-step maps distilled from it; class accuracy
                    (pfm's LeNet) and FLD against w (no twin). Its defaults: ${MNIST_CONDITIONAL.minutes} minutes of
                    training, batch ${MNIST_CONDITIONAL.batchSize}, ${MNIST_CONDITIONAL.flowSamplerSteps} Euler steps, each distillation
                    ${MNIST_CONDITIONAL.distillMinutes} minutes on ${MNIST_CONDITIONAL.distillPairs} teacher samples of ${MNIST_CONDITIONAL.distillTeacherSteps} steps
  --guidance a,b    guidance scales w of --conditional (default ${MNIST_GUIDANCE.join(', ')})
  --distill-guidance a,b  scales w the --conditional teacher is distilled at (default ${MNIST_DISTILL_GUIDANCE.join(', ')})
  --distill-steps N, --distill-minutes M  budget of each distillation of --conditional`;

/** Parses argv (without `--suite mnist`); throws one error naming the bad flag; null for --help. */
export function parseMnistArgs(argv: readonly string[]): MnistArgs | null {
  const quick = argv.includes('--quick');
  const conditional = argv.includes('--conditional');
  const preset = quick ? MNIST_QUICK : conditional ? MNIST_CONDITIONAL : MNIST_FULL;
  const defaults: MnistArgs = {
    methods: [...MNIST_METHODS],
    seeds: [0],
    steps: preset.steps,
    minutes: preset.minutes,
    samples: preset.samples,
    checkpointSamples: preset.checkpointSamples,
    checkpoints: [...preset.checkpoints],
    nfeSteps: [...preset.nfeSteps],
    trainSize: 9000,
    distillPairs: preset.distillPairs,
    distillTeacherSteps: preset.distillTeacherSteps,
    flowSamplerSteps: preset.flowSamplerSteps,
    batchSize: quick || !conditional ? 64 : MNIST_CONDITIONAL.batchSize,
    quick,
    out: 'bench-mnist',
    threads: 1,
    pfmOnly: false,
    conditional,
    guidance: [...MNIST_GUIDANCE],
    distillGuidance: [...MNIST_DISTILL_GUIDANCE],
    distillSteps: quick || !conditional ? preset.steps : MNIST_CONDITIONAL.distillSteps,
    distillMinutes: quick || !conditional ? preset.minutes : MNIST_CONDITIONAL.distillMinutes,
  };
  return parseSuiteArgs(argv, defaults, MNIST_FLAGS, MNIST_HELP);
}

function guidanceScale(flag: string, v: string): number {
  const w = Number(v);
  if (v.trim() === '' || !Number.isFinite(w) || w < 0) throw new Error(`${flag} must be guidance scales ≥ 0, got ${JSON.stringify(v)}`);
  return w;
}

function checkpointFractions(flag: string, value: string | undefined): number[] {
  const fractions = list(flag, value).map((v) => {
    const f = Number(v);
    if (!(f > 0 && f < 1)) throw new Error(`${flag} must be fractions of the budget in (0, 1), got ${JSON.stringify(v)}`);
    return f;
  });
  return fractions.sort((a, b) => a - b);
}

const MNIST_FLAGS: Readonly<Record<string, SuiteFlag<MnistArgs>>> = {
  // The preset is chosen before the flags are read, so --quick may stand anywhere.
  '--quick': { switch: () => undefined },
  '--pfm-only': { switch: (args) => (args.pfmOnly = true) },
  // Like --quick, read before the flags (it chooses the defaults).
  '--conditional': { switch: () => undefined },
  '--guidance': { value: (args, value, flag) => (args.guidance = list(flag, value).map((v) => guidanceScale(flag, v))) },
  '--distill-guidance': { value: (args, value, flag) => (args.distillGuidance = list(flag, value).map((v) => guidanceScale(flag, v))) },
  '--distill-steps': { value: (args, value, flag) => (args.distillSteps = integerValue(flag, value, 1)) },
  '--distill-minutes': { value: (args, value, flag) => (args.distillMinutes = positiveValue(flag, value)) },
  '--methods': { value: (args, value, flag) => (args.methods = list(flag, value).map((v) => oneOfValue(flag, v, MNIST_METHODS))) },
  '--seeds': { value: (args, value, flag) => (args.seeds = list(flag, value).map((v) => integerValue(flag, v, 0))) },
  '--steps': { value: (args, value, flag) => (args.steps = integerValue(flag, value, 1)) },
  '--minutes': { value: (args, value, flag) => (args.minutes = positiveValue(flag, value)) },
  '--samples': { value: (args, value, flag) => (args.samples = integerValue(flag, value, 2)) },
  '--checkpoint-samples': { value: (args, value, flag) => (args.checkpointSamples = integerValue(flag, value, 2)) },
  '--checkpoints': { value: (args, value, flag) => (args.checkpoints = checkpointFractions(flag, value)) },
  '--nfe-steps': { value: (args, value, flag) => (args.nfeSteps = list(flag, value).map((v) => integerValue(flag, v, 1))) },
  '--train-size': { value: (args, value, flag) => (args.trainSize = integerValue(flag, value, 2, 9000)) },
  '--batch-size': { value: (args, value, flag) => (args.batchSize = integerValue(flag, value, 2)) },
  '--threads': { value: (args, value, flag) => (args.threads = integerValue(flag, value, 1)) },
  '--out': { value: (args, value, flag) => (args.out = pathValue(flag, value, 'a folder')) },
  '--twin': { value: (args, value, flag) => (args.twin = pathValue(flag, value, 'a file (the twin script)')) },
};

/** What the recipes take from the arguments: the budget of `steps` (the training steps by default) and the batch. */
export function recipeSettings(args: MnistArgs, steps = args.steps): MnistRecipeSettings {
  return { steps, batchSize: args.batchSize, distillPairs: args.distillPairs, distillTeacherSteps: args.distillTeacherSteps, flowSamplerSteps: args.flowSamplerSteps };
}
