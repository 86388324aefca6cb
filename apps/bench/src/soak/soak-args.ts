// Command-line options of `pnpm bench --suite soak`.
import { integerValue, list, oneOfValue, parseSuiteArgs, pathValue, positiveValue, type SuiteFlag } from '../cli/suite-args.js';
import { SOAK_SIDES } from './soak-images.js';

/** Parsed options of the soak. */
export interface SoakArgs {
  /** Training steps. */
  steps: number;
  /** Steps between two memory samples (numTensors, RSS, wasm heap). */
  sampleEvery: number;
  /** Steps between two checkpoints (encoded and written, as `pfm train --checkpoint-every` does). */
  checkpointEvery: number;
  batchSize: number;
  /** Side of the digits (the 24×24 centre of MNIST averaged down to side × side). */
  side: number;
  /** Channels of the conv-generator's layers, widest first. */
  channels: number[];
  /** Decay of the weight average (EMA). */
  emaDecay: number;
  /** The largest RSS growth allowed over the fitted part of the run (slope × its steps), in MiB. */
  maxRssGrowthMiB: number;
  /** Threads of the wasm backend. */
  threads: number;
  out: string;
  /** Which runs: this process's trainer, `pfm train` in a child process (RSS read from /proc), or both. */
  path: SoakPath;
}

/** Where the soak trains: in this process, through `pfm train` in a child process, or both in turn. */
export const SOAK_PATHS = ['in-process', 'cli', 'both'] as const;
export type SoakPath = (typeof SOAK_PATHS)[number];

/** The default RSS bound: 64 MiB over the fitted steps (see SOAK_HELP for what it catches). */
export const SOAK_MAX_RSS_GROWTH_MIB = 64;

/** The settings of `--quick`: a couple of hundred steps, for the bench's own tests. */
export const SOAK_QUICK = { steps: 200, sampleEvery: 10, checkpointEvery: 50 } as const;

/** The default settings: 10⁵ steps, 100 memory samples, 20 checkpoints. */
export const SOAK_FULL = { steps: 100_000, sampleEvery: 1000, checkpointEvery: 5000 } as const;

export const SOAK_HELP = `pnpm bench --suite soak [options]
  Trains a small image model for many steps through the trainer the CLI uses (energy distance,
  conv-generator, Adam, EMA of the weights, a checkpoint encoded and written atomically every
  --checkpoint-every steps) on the MNIST training digits averaged down to side × side, and samples
  tf.memory().numTensors, the process's RSS and the wasm heap every --sample-every steps. Fits RSS
  against the step by least squares over the last 90% of the steps and reports the slope in
  bytes/step. Exits 1 when numTensors changes after the first sample, when the fitted RSS growth
  (slope × fitted steps) exceeds --max-rss-growth, or when tensors remain after disposal. The
  default bound, ${SOAK_MAX_RSS_GROWTH_MIB} MiB over 90,000 steps (about 750 bytes/step), is far above what the loss
  history (8 bytes/step) and allocator noise add, and below a leak of one float per image
  pixel per step (64 pixels × 16 images × 4 bytes = 4 KiB/step, 350 MiB). Writes soak.json and soak.md.
  Run it with node --expose-gc so each sample follows a full garbage collection.
  --steps N            training steps (default ${SOAK_FULL.steps})
  --sample-every N     steps between memory samples (default ${SOAK_FULL.sampleEvery})
  --checkpoint-every N steps between checkpoints (default ${SOAK_FULL.checkpointEvery})
  --quick              ${SOAK_QUICK.steps} steps, a sample every ${SOAK_QUICK.sampleEvery}, a checkpoint every ${SOAK_QUICK.checkpointEvery}
  --batch-size N       images per step (default 16)
  --side N             image side, one of ${SOAK_SIDES.join(', ')} (default 8)
  --channels a,b       conv-generator channels (default 8,4)
  --ema-decay D        decay of the weight average in (0, 1) (default 0.999)
  --max-rss-growth M   RSS growth allowed over the fitted steps, in MiB (default ${SOAK_MAX_RSS_GROWTH_MIB})
  --threads N          threads of the wasm backend (default 1)
  --path P             in-process (default), cli: the same training as pfm train (the built CLI of
                       this repository) in a child process, its RSS read from /proc and fitted the
                       same way (numTensors is not visible from outside), or both
  --out DIR            output folder (default bench-soak)`;

const flags: Record<string, SuiteFlag<SoakArgs>> = {
  '--steps': { value: (a, v, f) => void (a.steps = integerValue(f, v, 1)) },
  '--sample-every': { value: (a, v, f) => void (a.sampleEvery = integerValue(f, v, 1)) },
  '--checkpoint-every': { value: (a, v, f) => void (a.checkpointEvery = integerValue(f, v, 1)) },
  '--quick': { switch: () => undefined },
  '--batch-size': { value: (a, v, f) => void (a.batchSize = integerValue(f, v, 2)) },
  '--side': {
    value: (a, v, f) => {
      const side = integerValue(f, v, 1);
      if (!(SOAK_SIDES as readonly number[]).includes(side)) throw new Error(`${f} must be one of ${SOAK_SIDES.join(', ')}, got ${JSON.stringify(v)}`);
      a.side = side;
    },
  },
  '--channels': { value: (a, v, f) => void (a.channels = list(f, v).map((c) => integerValue(f, c, 1))) },
  '--ema-decay': {
    value: (a, v, f) => {
      const d = Number(v);
      if (v === undefined || !(d > 0 && d < 1)) throw new Error(`${f} must be a number in (0, 1), got ${JSON.stringify(v)}`);
      a.emaDecay = d;
    },
  },
  '--max-rss-growth': { value: (a, v, f) => void (a.maxRssGrowthMiB = positiveValue(f, v)) },
  '--threads': { value: (a, v, f) => void (a.threads = integerValue(f, v, 1)) },
  '--path': { value: (a, v, f) => void (a.path = oneOfValue(f, pathValue(f, v, `one of ${SOAK_PATHS.join(', ')}`), SOAK_PATHS)) },
  '--out': { value: (a, v, f) => void (a.out = pathValue(f, v, 'a folder')) },
};

/** Parses argv (without `--suite soak`); throws one error naming the bad flag; null for --help. */
export function parseSoakArgs(argv: readonly string[]): SoakArgs | null {
  const preset = argv.includes('--quick') ? SOAK_QUICK : SOAK_FULL;
  const args = parseSuiteArgs<SoakArgs>(
    argv,
    {
      ...preset,
      batchSize: 16,
      side: 8,
      channels: [8, 4],
      emaDecay: 0.999,
      maxRssGrowthMiB: SOAK_MAX_RSS_GROWTH_MIB,
      threads: 1,
      out: 'bench-soak',
      path: 'in-process',
    },
    flags,
    SOAK_HELP,
  );
  if (args && args.channels.length < 2) throw new Error(`--channels needs at least 2 layers (the conv-generator's first and last), got ${JSON.stringify(args.channels.join(','))}`);
  if (args && args.sampleEvery > args.steps) throw new Error(`--sample-every must be at most --steps (${args.steps}), got ${args.sampleEvery}`);
  return args;
}
