// Command-line options of `pnpm bench --suite guidance`.
import { integerValue, list, oneOfValue, parseSuiteArgs, pathValue, type SuiteFlag } from '../cli/suite-args.js';
import { GUIDANCE_METHODS, type GuidanceMethod } from './guidance-recipes.js';

export interface GuidanceArgs {
  methods: GuidanceMethod[];
  seeds: number[];
  /** Training steps of every run. */
  steps: number;
  /** Guidance scales w at which the flows trained with condition dropout are sampled. */
  guidance: number[];
  /** Training points (labelled 8gaussians). */
  trainSize: number;
  /** Samples per run and scale (the classes 0…7 in turn), and held-out points. */
  samples: number;
  threads: number;
  out: string;
}

export const GUIDANCE_HELP = `pnpm bench --suite guidance [options]
  Class-conditional samplers of every family on 8gaussians with each point's mode as its class:
  the fraction of samples landing nearest their requested mode (1/8 for a sampler that ignores
  its label) and the per-class energy distance to held-out points of that class, against the
  classifier-free guidance scale w for the flows trained with condition dropout
  → guidance.json, guidance.md.
  --methods a,b      ${GUIDANCE_METHODS.join(', ')} (default: all)
  --seeds 0,1,…      seeds (default 0,1,2)
  --steps N          training steps of every run (default 2000)
  --guidance a,b     guidance scales of the flows (default 0,1,2,4; 0 unconditional, 1 conditional)
  --train-size N     training points (default 10000)
  --samples N        samples per run and scale, and held-out points (default 4000)
  --quick            a smoke run in seconds: seed 0, 12 steps, 512 points, 400 samples
  --threads N        threads of the wasm backend (default 1)
  --out DIR          output folder (default bench-guidance)`;

/** Parses argv (without `--suite guidance`); throws one error naming the bad flag; null for --help. */
export function parseGuidanceArgs(argv: readonly string[]): GuidanceArgs | null {
  const defaults: GuidanceArgs = {
    methods: [...GUIDANCE_METHODS],
    seeds: [0, 1, 2],
    steps: 2000,
    guidance: [0, 1, 2, 4],
    trainSize: 10_000,
    samples: 4000,
    threads: 1,
    out: 'bench-guidance',
  };
  return parseSuiteArgs(argv, defaults, GUIDANCE_FLAGS, GUIDANCE_HELP);
}

const GUIDANCE_FLAGS: Readonly<Record<string, SuiteFlag<GuidanceArgs>>> = {
  '--quick': { switch: (args) => Object.assign(args, { seeds: [0], steps: 12, trainSize: 512, samples: 400 }) },
  '--methods': { value: (args, value, flag) => (args.methods = list(flag, value).map((v) => oneOfValue(flag, v, GUIDANCE_METHODS))) },
  '--seeds': { value: (args, value, flag) => (args.seeds = list(flag, value).map((v) => integerValue(flag, v, 0))) },
  '--steps': { value: (args, value, flag) => (args.steps = integerValue(flag, value, 1)) },
  '--guidance': {
    value: (args, value, flag) =>
      (args.guidance = list(flag, value).map((v) => {
        const w = Number(v);
        if (!Number.isFinite(w) || w < 0) throw new Error(`${flag} must be numbers ≥ 0, got ${JSON.stringify(v)}`);
        return w;
      })),
  },
  '--train-size': { value: (args, value, flag) => (args.trainSize = integerValue(flag, value, 16)) },
  '--samples': { value: (args, value, flag) => (args.samples = integerValue(flag, value, 16)) },
  '--threads': { value: (args, value, flag) => (args.threads = integerValue(flag, value, 1)) },
  '--out': { value: (args, value, flag) => (args.out = pathValue(flag, value, 'a folder')) },
};
