// Command-line options of `pnpm bench`.
import { list, parseSuiteArgs, pathValue, type SuiteFlag } from './suite-args.js';

/** Parsed options of the quality matrix. */
export interface BenchArgs {
  quick: boolean;
  /** Config names or objective ids to keep (empty = all). */
  methods: string[];
  /** Data set names to keep (empty = all). */
  datasets: string[];
  seeds: number[];
  backend: 'wasm' | 'cpu';
  /** Threads of the wasm backend (default: `wasm()`'s `'auto'`, the idle cores by the load average, 1 when fewer than 2 are idle). */
  threads?: number;
  out: string;
  /** Folder of the recipe configs. */
  configs?: string;
  /** Override the training steps of every config (smoke tests). */
  steps?: number;
  /** Override the number of evaluation samples (both sides of every metric). */
  samples?: number;
  /** Override the size of the training set. */
  trainSize?: number;
  /** Re-run the runs recorded as failed. */
  retryFailed: boolean;
  /** Runs at once, each in its own process (default: 1; under --quick, one per core). */
  jobs?: number | 'auto';
}

const HELP = `pnpm bench [options]
  --quick             CI size, under 4 minutes on 2 cores: 200 steps (fewer, or smaller
                      batches, for the slow configs, listed at the start), seed 0, 1,000
                      evaluation samples, data sets moons, 8gaussians, scurve, uniform-1d
                      unless --datasets; prints its wall and CPU time at the end
  --methods a,b       config names or objective ids (default: every config)
  --datasets a,b      data set names (default: all)
  --seeds 0,1,2       seeds (default 0,1,2; --quick: 0)
  --backend wasm|cpu  tfjs backend (default wasm)
  --threads N         threads of the wasm backend (default: chosen at start from the
                      one-minute load average, the idle cores, or 1 when fewer than 2
                      are idle; small networks train faster on 1)
  --out DIR           output folder (default bench-output)
  --configs DIR       recipe folder (default: the committed configs)
  --steps N           override the training steps of every config
  --samples N         override the evaluation sample size
  --train-size N      override the training set size (default 10,000, torchcfm's
                      train split; --quick: 4,096)
  --retry-failed      run again the runs recorded as failed
  --jobs N|auto       runs at once, each in its own process with one wasm thread
                      unless --threads (auto: one per core; default 1, and auto
                      under --quick). The results equal one job's at the same
                      --threads; the timings are not comparable with one-job runs`;

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

const BENCH_FLAGS: Readonly<Record<string, SuiteFlag<BenchArgs & { seedsGiven?: boolean }>>> = {
  '--quick': { switch: (args) => (args.quick = true) },
  '--retry-failed': { switch: (args) => (args.retryFailed = true) },
  '--methods': { value: (args, value, flag) => (args.methods = list(flag, value)) },
  '--datasets': { value: (args, value, flag) => (args.datasets = list(flag, value)) },
  '--seeds': {
    value: (args, value, flag) => {
      args.seeds = list(flag, value).map((s) => {
        const n = Number(s);
        if (!Number.isInteger(n)) throw new Error(`--seeds must be integers, got ${JSON.stringify(s)}`);
        return n;
      });
      args.seedsGiven = true;
    },
  },
  '--backend': {
    value: (args, value) => {
      if (value !== 'wasm' && value !== 'cpu') throw new Error(`--backend must be wasm or cpu, got ${JSON.stringify(value)}`);
      args.backend = value;
    },
  },
  '--threads': { value: (args, value, flag) => (args.threads = positiveInt(flag, value)) },
  '--jobs': { value: (args, value, flag) => (args.jobs = value === 'auto' ? 'auto' : positiveInt(flag, value)) },
  '--out': { value: (args, value, flag) => (args.out = pathValue(flag, value, 'a folder')) },
  '--configs': { value: (args, value, flag) => (args.configs = pathValue(flag, value, 'a folder')) },
  '--steps': { value: (args, value, flag) => (args.steps = positiveInt(flag, value)) },
  '--train-size': { value: (args, value, flag) => (args.trainSize = positiveInt(flag, value)) },
  '--samples': {
    value: (args, value, flag) => {
      args.samples = positiveInt(flag, value);
      if (args.samples < 2) throw new Error('--samples must be at least 2');
    },
  },
};

/** Parses argv (without node and the script); throws one error naming the bad flag. Returns null for --help. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | null {
  const parsed = parseSuiteArgs<BenchArgs & { seedsGiven?: boolean }>(
    argv,
    { quick: false, methods: [], datasets: [], seeds: [], backend: 'wasm', out: 'bench-output', retryFailed: false },
    BENCH_FLAGS,
    HELP,
  );
  if (parsed === null) return null;
  const { seedsGiven, ...args } = parsed;
  if (!seedsGiven) args.seeds = args.quick ? [0] : [0, 1, 2];
  return args;
}

/** The suites of `pnpm bench --suite NAME` (the speed suite has its own entry, `dist/speed.js`). */
export const BENCH_SUITES = ['matrix', 'parity', 'mnist', 'curriculum', 'guidance', 'soak', 'spectral'] as const;
export type BenchSuite = (typeof BENCH_SUITES)[number];

/** Splits `--suite NAME` off argv: the suite (default `matrix`) and the remaining flags. */
export function splitSuite(argv: readonly string[]): { suite: BenchSuite; rest: string[] } {
  const i = argv.indexOf('--suite');
  if (i < 0) return { suite: 'matrix', rest: [...argv] };
  const name = argv[i + 1];
  if (!(BENCH_SUITES as readonly (string | undefined)[]).includes(name)) {
    throw new Error(`--suite must be ${BENCH_SUITES.slice(0, -1).join(', ')} or ${BENCH_SUITES[BENCH_SUITES.length - 1]}, got ${JSON.stringify(name)}`);
  }
  return { suite: name as BenchSuite, rest: [...argv.slice(0, i), ...argv.slice(i + 2)] };
}
