// Command-line options of `pnpm bench --suite mnist`.
import { list } from '../cli/bench-args.js';
import { MNIST_METHODS, type MnistMethod } from './mnist-recipes.js';

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
}

/** Guidance scales of the class-conditional case by default: unconditional, conditional, and two guided. */
export const MNIST_GUIDANCE = [0, 1, 2, 4] as const;

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
  FLD and KID of clipped samples, bits/dim (realnvp, vae), NFE, sampling ms per image, steps/s,
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
                    and their labels (condition dropout 0.1) sampled with classifier-free guidance w,
                    and one-step maps distilled from it at each w; class accuracy (pfm's LeNet) and
                    FLD against w; the same budget for the flow and each distillation (no twin)
  --guidance a,b    guidance scales w of --conditional (default ${MNIST_GUIDANCE.join(', ')})`;

function integer(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${flag} must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return n;
}

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses argv (without `--suite mnist`); throws one error naming the bad flag; null for --help. */
export function parseMnistArgs(argv: readonly string[]): MnistArgs | null {
  const quick = argv.includes('--quick');
  const preset = quick ? MNIST_QUICK : MNIST_FULL;
  const args: MnistArgs = {
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
    batchSize: 64,
    quick,
    out: 'bench-mnist',
    threads: 1,
    pfmOnly: false,
    conditional: false,
    guidance: [...MNIST_GUIDANCE],
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case '--help':
      case '-h':
        process.stdout.write(`${MNIST_HELP}\n`);
        return null;
      case '--quick':
        continue;
      case '--pfm-only':
        args.pfmOnly = true;
        continue;
      case '--conditional':
        args.conditional = true;
        continue;
      case '--guidance':
        args.guidance = list(flag, value).map((v) => {
          const w = Number(v);
          if (v.trim() === '' || !Number.isFinite(w) || w < 0) throw new Error(`--guidance must be guidance scales ≥ 0, got ${JSON.stringify(v)}`);
          return w;
        });
        break;
      case '--methods':
        args.methods = list(flag, value).map((v) => {
          if (!(MNIST_METHODS as readonly string[]).includes(v)) throw new Error(`--methods: unknown ${JSON.stringify(v)}; expected one of ${MNIST_METHODS.join(', ')}`);
          return v as MnistMethod;
        });
        break;
      case '--seeds':
        args.seeds = list(flag, value).map((v) => integer(flag, v, 0));
        break;
      case '--steps':
        args.steps = integer(flag, value, 1);
        break;
      case '--minutes':
        args.minutes = positive(flag, value);
        break;
      case '--samples':
        args.samples = integer(flag, value, 2);
        break;
      case '--checkpoint-samples':
        args.checkpointSamples = integer(flag, value, 2);
        break;
      case '--checkpoints':
        args.checkpoints = list(flag, value).map((v) => {
          const f = Number(v);
          if (!(f > 0 && f < 1)) throw new Error(`--checkpoints must be fractions of the budget in (0, 1), got ${JSON.stringify(v)}`);
          return f;
        });
        args.checkpoints.sort((a, b) => a - b);
        break;
      case '--nfe-steps':
        args.nfeSteps = list(flag, value).map((v) => integer(flag, v, 1));
        break;
      case '--train-size':
        args.trainSize = integer(flag, value, 2, 9000);
        break;
      case '--batch-size':
        args.batchSize = integer(flag, value, 2);
        break;
      case '--threads':
        args.threads = integer(flag, value, 1);
        break;
      case '--out':
        if (value === undefined || value.startsWith('--')) throw new Error('--out needs a folder');
        args.out = value;
        break;
      case '--twin':
        if (value === undefined || value.startsWith('--')) throw new Error('--twin needs a file (the twin script)');
        args.twin = value;
        break;
      default:
        throw new Error(`unknown option ${JSON.stringify(flag)}\n${MNIST_HELP}`);
    }
    i++;
  }
  return args;
}
