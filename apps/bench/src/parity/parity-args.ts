// Command-line options of `pnpm bench --suite parity`.
import { integerValue, list, oneOfValue, parseSuiteArgs, pathValue, type SuiteFlag } from '../cli/suite-args.js';
import { PARITY_METHODS, type ParityMethod } from './parity-recipes.js';
import { PARITY_TARGETS, type ParityTarget } from './parity-targets.js';

export interface ParityArgs {
  targets: ParityTarget[];
  dims: number[];
  methods: ParityMethod[];
  seeds: number[];
  steps: number;
  trainSize: number;
  /** Model samples and held-out points of every metric. */
  samples: number;
  out: string;
  /** Threads of the wasm backend and of torch (default 1: both sides on one core). */
  threads: number;
  /** Skip the PyTorch twin even when a python with torch is found. */
  pfmOnly: boolean;
  /** Skip the test NLL of the flow fields (flow matching, OT-CFM): see nllNeedsOde. */
  noFlowNll: boolean;
  /**
   * One training and held-out set for every seed, drawn with this seed (absent: each seed draws
   * its own): the seeds then vary only the initialisation and the training noise.
   */
  dataSeed?: number | undefined;
  /**
   * Both sides draw their samples from one noise: the twin reads pfm's N(0, I) draw of the run
   * (`createRng(seed).fold(103)`) instead of its own generator, so the sample noise of the metric
   * is common to the two sides (common random numbers) and their difference is the models'.
   */
  commonNoise: boolean;
  /** Folders of earlier runs to merge into `out` instead of training (empty: train). */
  merge: string[];
  /** A JSON file of explicit mixing orders for realnvp / nsf on both sides (see mixing-orders.ts). */
  mixingOrders?: string | undefined;
}

export const PARITY_HELP = `pnpm bench --suite parity [options]
  Trains the same recipes with pfm and with the PyTorch twin (reference/parity-twin.py, run by
  a python 3 that imports torch and POT: PFM_PYTHON, python3, /usr/bin/python3) on held-out
  targets in several dimensions, and compares W2, sliced W2, energy distance and test NLL.
  --targets a,b     ${PARITY_TARGETS.join(', ')} (default: all)
  --dims 2,4,8,16   dimensions (default 2,4,8,16)
  --methods a,b     ${PARITY_METHODS.join(', ')} (default: all)
  --seeds 0,1,2     seeds (default 0,1,2)
  --steps N         training steps (default 5000)
  --data-seed N     one training and held-out set, drawn with seed N, for every seed (default:
                    each seed its own), so the seeds vary only the initialisation and the
                    training noise; records of such runs merge only with runs of the same N
  --common-noise    the twin samples from pfm's noise draw of the run (every method maps
                    N(0, I) noise to its samples), so that the sample noise is common to the two
                    sides; records of such runs merge only with runs made the same way
  --train-size N    training points (default 10000)
  --samples N       model samples and held-out points (default 5000)
  --threads N       threads of wasm and of torch (default 1)
  --pfm-only        do not run the twin
  --no-flow-nll     skip pfm's test NLL of flow matching and OT-CFM (an exact-divergence ODE on
                    every held-out point, most of such a run's time at d = 16; the twin reports
                    none for them)
  --merge A,B       train nothing: merge the parity.json of folders A, B, … (runs made apart)
                    into one parity.json and parity.md in --out
  --mixing-orders F realnvp / nsf on both sides use the mixing-layer orders of the JSON file F
                    ({ method: { dim: { seed: [[order], …] } } }) instead of their random draws;
                    give such runs a --out folder of their own
  --out DIR         output folder (default bench-parity)`;

/** Parses argv (without `--suite parity`); throws one error naming the bad flag; null for --help. */
export function parseParityArgs(argv: readonly string[]): ParityArgs | null {
  const defaults: ParityArgs = {
    targets: [...PARITY_TARGETS],
    dims: [2, 4, 8, 16],
    methods: [...PARITY_METHODS],
    seeds: [0, 1, 2],
    steps: 5000,
    trainSize: 10_000,
    samples: 5000,
    out: 'bench-parity',
    threads: 1,
    pfmOnly: false,
    noFlowNll: false,
    commonNoise: false,
    merge: [],
  };
  return parseSuiteArgs(argv, defaults, PARITY_FLAGS, PARITY_HELP);
}

const PARITY_FLAGS: Readonly<Record<string, SuiteFlag<ParityArgs>>> = {
  '--pfm-only': { switch: (args) => (args.pfmOnly = true) },
  '--no-flow-nll': { switch: (args) => (args.noFlowNll = true) },
  '--common-noise': { switch: (args) => (args.commonNoise = true) },
  '--targets': { value: (args, value, flag) => (args.targets = list(flag, value).map((v) => oneOfValue(flag, v, PARITY_TARGETS))) },
  '--methods': { value: (args, value, flag) => (args.methods = list(flag, value).map((v) => oneOfValue(flag, v, PARITY_METHODS))) },
  '--dims': { value: (args, value, flag) => (args.dims = list(flag, value).map((v) => integerValue(flag, v, 2))) },
  '--seeds': { value: (args, value, flag) => (args.seeds = list(flag, value).map((v) => integerValue(flag, v, 0))) },
  '--data-seed': { value: (args, value, flag) => (args.dataSeed = integerValue(flag, value, 0)) },
  '--steps': { value: (args, value, flag) => (args.steps = integerValue(flag, value, 1)) },
  '--train-size': { value: (args, value, flag) => (args.trainSize = integerValue(flag, value, 2)) },
  '--samples': { value: (args, value, flag) => (args.samples = integerValue(flag, value, 2)) },
  '--threads': { value: (args, value, flag) => (args.threads = integerValue(flag, value, 1)) },
  '--merge': { value: (args, value, flag) => (args.merge = list(flag, value).map((v) => pathValue(flag, v, 'a folder'))) },
  '--mixing-orders': { value: (args, value, flag) => (args.mixingOrders = pathValue(flag, value, 'a JSON file')) },
  '--out': { value: (args, value, flag) => (args.out = pathValue(flag, value, 'a folder')) },
};
