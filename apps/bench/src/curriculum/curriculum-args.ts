// Command-line options of `pnpm bench --suite curriculum`.
import { integerValue, list, oneOfValue, parseSuiteArgs, pathValue, type SuiteFlag } from '../cli/suite-args.js';
import { CURRICULUM_OBJECTIVES, CURRICULUM_SCHEDULES, type CurriculumObjective, type CurriculumSchedule } from './curriculum-recipes.js';
import { CURRICULUM_TARGETS, type CurriculumTarget } from './curriculum-targets.js';

export interface CurriculumArgs {
  targets: CurriculumTarget[];
  objectives: CurriculumObjective[];
  seeds: number[];
  /** Training steps of every run (equal total steps). */
  steps: number;
  /**
   * Which plain runs: `steps` (as many steps as the curriculum), `time` (as much CPU time as the
   * `even` curriculum run used), or `both`.
   */
  budget: CurriculumBudget;
  /** The curriculum schedules to run (see curriculumSchedule). */
  schedules: CurriculumSchedule[];
  /** Train only these of the objective runs that budget and schedules imply (null: all of them). */
  variants: TrainedVariant[] | null;
  batchSize: number;
  trainSize: number;
  /** Model samples and held-out points per run. */
  samples: number;
  /** Train the reference lines (100-step flow, its one-step distillation). */
  references: boolean;
  threads: number;
  out: string;
  /** Folders of earlier runs to merge into `out` instead of training (empty: train). */
  merge: string[];
  /** The MNIST target's own budget and sizes (a step on images costs ~50× one in the plane). */
  mnist: CurriculumMnistSettings;
}

/** Steps, batch, training digits and samples of the MNIST target (FLD is always against the 1,000 test digits). */
export interface CurriculumMnistSettings {
  /** The objectives trained on MNIST (null: those of --objectives). */
  objectives: CurriculumObjective[] | null;
  steps: number;
  batchSize: number;
  trainSize: number;
  samples: number;
}

/** The MNIST target's defaults: the suite's objectives, 300 steps of 64 digits (pfm's image batch) on the 9,000 training digits, 1,000 samples. */
export const CURRICULUM_MNIST_DEFAULTS: Readonly<CurriculumMnistSettings> = { objectives: null, steps: 300, batchSize: 64, trainSize: 9000, samples: 1000 };

export const CURRICULUM_BUDGETS = ['steps', 'time', 'both'] as const;
export type CurriculumBudget = (typeof CURRICULUM_BUDGETS)[number];

/** The objective runs a suite can train (the references are switched by --no-references). */
export const TRAINED_VARIANTS = ['plain', 'curriculum', 'curriculum-short', 'plain-time'] as const;
export type TrainedVariant = (typeof TRAINED_VARIANTS)[number];

export const CURRICULUM_HELP = `pnpm bench --suite curriculum [options]
  One-step generators (GAN, WGAN-GP two- and one-sided, energy, MMD) with and without the diffusion-path
  curriculum at equal total steps and/or equal CPU time, on the 5×5 grid and the ring of 8 Gaussians (modes covered,
  fraction of samples within 3σ of a mode), the moons and the checkerboard (black squares covered,
  fraction of samples on a black square), with the 100-step flow-matching flow and its
  one-step distillation as reference lines, and on the MNIST digits with a conv generator (FLD,
  digits covered and fraction confidently classified by pfm's LeNet; no reference lines)
  → curriculum.json, curriculum.md.
  --targets a,b      ${CURRICULUM_TARGETS.join(', ')} (default: all)
  --objectives a,b   ${CURRICULUM_OBJECTIVES.join(', ')} (default: all)
  --seeds 0,1,…      seeds (default 0,1,2,3,4)
  --steps N          training steps of every run (default 2000)
  --budget B         plain runs at equal steps (steps, the default), at the CPU seconds the
                     curriculum run used (time: steps until then), or both
  --schedules a,b    curriculum schedules: even (half the steps on the noisy levels, the default),
                     short (a fifth); the equal-time plain run matches the even one
  --variants a,b     train only these of the runs the two flags above imply (${TRAINED_VARIANTS.join(', ')}),
                     e.g. to split one suite over processes, each with its own --out
  --batch-size N     batch size (default 256)
  --train-size N     training points (default 10000)
  --samples N        model samples and held-out points (default 2500)
  --no-references    skip the flow and distillation reference lines
  --mnist-objectives a,b  the objectives trained on MNIST (default: those of --objectives)
  --mnist-steps N    training steps of every MNIST run (default ${CURRICULUM_MNIST_DEFAULTS.steps})
  --mnist-batch-size N  digits per MNIST batch (default ${CURRICULUM_MNIST_DEFAULTS.batchSize})
  --mnist-train-size N  training digits, evenly spaced over the split (default ${CURRICULUM_MNIST_DEFAULTS.trainSize}: all)
  --mnist-samples N  MNIST samples measured (default ${CURRICULUM_MNIST_DEFAULTS.samples})
  --quick            a smoke run in seconds: grid (seed 0, 24 steps, 256 points, 200 samples) and
                     MNIST (gan and energy, 8 steps of 16 digits, 256 training digits, 100 samples)
  --threads N        threads of the wasm backend (default 1)
  --merge A,B        train nothing: merge the curriculum.json of folders A, B, … (runs made apart,
                     e.g. split by --seeds or --variants) into one curriculum.json and curriculum.md in --out
  --out DIR          output folder (default bench-curriculum)`;

/** Parses argv (without `--suite curriculum`); throws one error naming the bad flag; null for --help. */
export function parseCurriculumArgs(argv: readonly string[]): CurriculumArgs | null {
  const defaults: CurriculumArgs = {
    targets: [...CURRICULUM_TARGETS],
    objectives: [...CURRICULUM_OBJECTIVES],
    seeds: [0, 1, 2, 3, 4],
    steps: 2000,
    budget: 'steps',
    schedules: ['even'],
    variants: null,
    batchSize: 256,
    trainSize: 10_000,
    samples: 2500,
    references: true,
    threads: 1,
    out: 'bench-curriculum',
    merge: [],
    mnist: { ...CURRICULUM_MNIST_DEFAULTS, objectives: null },
  };
  const args = parseSuiteArgs(argv, defaults, CURRICULUM_FLAGS, CURRICULUM_HELP);
  if (args && args.budget !== 'steps' && !args.schedules.includes('even')) {
    throw new Error(`--budget ${args.budget}: the equal-time plain run matches the even curriculum run, but --schedules is ${args.schedules.join(',')}; add even`);
  }
  return args;
}

const CURRICULUM_FLAGS: Readonly<Record<string, SuiteFlag<CurriculumArgs>>> = {
  '--quick': {
    switch: (args) =>
      Object.assign(args, { targets: ['grid', 'mnist'], seeds: [0], steps: 24, batchSize: 64, trainSize: 256, samples: 200, mnist: { objectives: ['gan', 'energy'], steps: 8, batchSize: 16, trainSize: 256, samples: 100 } }),
  },
  '--no-references': { switch: (args) => (args.references = false) },
  '--targets': { value: (args, value, flag) => (args.targets = list(flag, value).map((v) => oneOfValue(flag, v, CURRICULUM_TARGETS))) },
  '--objectives': { value: (args, value, flag) => (args.objectives = list(flag, value).map((v) => oneOfValue(flag, v, CURRICULUM_OBJECTIVES))) },
  '--seeds': { value: (args, value, flag) => (args.seeds = list(flag, value).map((v) => integerValue(flag, v, 0))) },
  '--steps': { value: (args, value, flag) => (args.steps = integerValue(flag, value, 8)) },
  '--budget': { value: (args, value, flag) => (args.budget = oneOfValue(flag, value ?? '', CURRICULUM_BUDGETS)) },
  '--schedules': { value: (args, value, flag) => (args.schedules = [...new Set(list(flag, value).map((v) => oneOfValue(flag, v, CURRICULUM_SCHEDULES)))]) },
  '--variants': { value: (args, value, flag) => (args.variants = [...new Set(list(flag, value).map((v) => oneOfValue(flag, v, TRAINED_VARIANTS)))]) },
  '--batch-size': { value: (args, value, flag) => (args.batchSize = integerValue(flag, value, 2)) },
  '--train-size': { value: (args, value, flag) => (args.trainSize = integerValue(flag, value, 2)) },
  '--samples': { value: (args, value, flag) => (args.samples = integerValue(flag, value, 2)) },
  '--threads': { value: (args, value, flag) => (args.threads = integerValue(flag, value, 1)) },
  '--mnist-objectives': { value: (args, value, flag) => (args.mnist = { ...args.mnist, objectives: list(flag, value).map((v) => oneOfValue(flag, v, CURRICULUM_OBJECTIVES)) }) },
  '--mnist-steps': { value: (args, value, flag) => (args.mnist = { ...args.mnist, steps: integerValue(flag, value, 8) }) },
  '--mnist-batch-size': { value: (args, value, flag) => (args.mnist = { ...args.mnist, batchSize: integerValue(flag, value, 2) }) },
  '--mnist-train-size': { value: (args, value, flag) => (args.mnist = { ...args.mnist, trainSize: integerValue(flag, value, 2, 9000) }) },
  '--mnist-samples': { value: (args, value, flag) => (args.mnist = { ...args.mnist, samples: integerValue(flag, value, 2) }) },
  '--merge': { value: (args, value, flag) => (args.merge = list(flag, value).map((v) => pathValue(flag, v, 'a folder'))) },
  '--out': { value: (args, value, flag) => (args.out = pathValue(flag, value, 'a folder')) },
};
