// Command-line options of `pnpm bench --suite curriculum`.
import { integerValue, list, oneOfValue, parseSuiteArgs, pathValue, type SuiteFlag } from '../cli/suite-args.js';
import { CURRICULUM_OBJECTIVES, type CurriculumObjective } from './curriculum-recipes.js';
import { CURRICULUM_TARGETS, type CurriculumTarget } from './curriculum-targets.js';

export interface CurriculumArgs {
  targets: CurriculumTarget[];
  objectives: CurriculumObjective[];
  seeds: number[];
  /** Training steps of every run (equal total steps). */
  steps: number;
  batchSize: number;
  trainSize: number;
  /** Model samples and held-out points per run. */
  samples: number;
  /** Train the reference lines (100-step flow, its one-step distillation). */
  references: boolean;
  threads: number;
  out: string;
}

export const CURRICULUM_HELP = `pnpm bench --suite curriculum [options]
  One-step generators (GAN, WGAN-GP two- and one-sided, energy) with and without the diffusion-path
  curriculum at equal total steps, on the 5×5 grid and the ring of 8 Gaussians (modes covered,
  fraction of samples within 3σ of a mode), the moons and the checkerboard (black squares covered,
  fraction of samples on a black square), with the 100-step flow-matching flow and its
  one-step distillation as reference lines → curriculum.json, curriculum.md.
  --targets a,b      ${CURRICULUM_TARGETS.join(', ')} (default: all)
  --objectives a,b   ${CURRICULUM_OBJECTIVES.join(', ')} (default: all)
  --seeds 0,1,…      seeds (default 0,1,2,3,4)
  --steps N          training steps of every run (default 2000)
  --batch-size N     batch size (default 256)
  --train-size N     training points (default 10000)
  --samples N        model samples and held-out points (default 2500)
  --no-references    skip the flow and distillation reference lines
  --quick            a smoke run in seconds: grid, seed 0, 24 steps, 256 points, 200 samples
  --threads N        threads of the wasm backend (default 1)
  --out DIR          output folder (default bench-curriculum)`;

/** Parses argv (without `--suite curriculum`); throws one error naming the bad flag; null for --help. */
export function parseCurriculumArgs(argv: readonly string[]): CurriculumArgs | null {
  const defaults: CurriculumArgs = {
    targets: [...CURRICULUM_TARGETS],
    objectives: [...CURRICULUM_OBJECTIVES],
    seeds: [0, 1, 2, 3, 4],
    steps: 2000,
    batchSize: 256,
    trainSize: 10_000,
    samples: 2500,
    references: true,
    threads: 1,
    out: 'bench-curriculum',
  };
  return parseSuiteArgs(argv, defaults, CURRICULUM_FLAGS, CURRICULUM_HELP);
}

const CURRICULUM_FLAGS: Readonly<Record<string, SuiteFlag<CurriculumArgs>>> = {
  '--quick': {
    switch: (args) => Object.assign(args, { targets: ['grid'], seeds: [0], steps: 24, batchSize: 64, trainSize: 256, samples: 200 }),
  },
  '--no-references': { switch: (args) => (args.references = false) },
  '--targets': { value: (args, value, flag) => (args.targets = list(flag, value).map((v) => oneOfValue(flag, v, CURRICULUM_TARGETS))) },
  '--objectives': { value: (args, value, flag) => (args.objectives = list(flag, value).map((v) => oneOfValue(flag, v, CURRICULUM_OBJECTIVES))) },
  '--seeds': { value: (args, value, flag) => (args.seeds = list(flag, value).map((v) => integerValue(flag, v, 0))) },
  '--steps': { value: (args, value, flag) => (args.steps = integerValue(flag, value, 8)) },
  '--batch-size': { value: (args, value, flag) => (args.batchSize = integerValue(flag, value, 2)) },
  '--train-size': { value: (args, value, flag) => (args.trainSize = integerValue(flag, value, 2)) },
  '--samples': { value: (args, value, flag) => (args.samples = integerValue(flag, value, 2)) },
  '--threads': { value: (args, value, flag) => (args.threads = integerValue(flag, value, 1)) },
  '--out': { value: (args, value, flag) => (args.out = pathValue(flag, value, 'a folder')) },
};
