// Command-line options of `pnpm bench --suite parity`.
import { list } from '../cli/bench-args.js';
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
  --train-size N    training points (default 10000)
  --samples N       model samples and held-out points (default 5000)
  --threads N       threads of wasm and of torch (default 1)
  --pfm-only        do not run the twin
  --out DIR         output folder (default bench-parity)`;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${flag}: unknown ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`);
  return value as T;
}

function integer(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses argv (without `--suite parity`); throws one error naming the bad flag; null for --help. */
export function parseParityArgs(argv: readonly string[]): ParityArgs | null {
  const args: ParityArgs = {
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
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case '--help':
      case '-h':
        process.stdout.write(`${PARITY_HELP}\n`);
        return null;
      case '--pfm-only':
        args.pfmOnly = true;
        continue;
      case '--targets':
        args.targets = list(flag, value).map((v) => oneOf(flag, v, PARITY_TARGETS));
        break;
      case '--methods':
        args.methods = list(flag, value).map((v) => oneOf(flag, v, PARITY_METHODS));
        break;
      case '--dims':
        args.dims = list(flag, value).map((v) => integer(flag, v, 2));
        break;
      case '--seeds':
        args.seeds = list(flag, value).map((v) => integer(flag, v, 0));
        break;
      case '--steps':
        args.steps = integer(flag, value, 1);
        break;
      case '--train-size':
        args.trainSize = integer(flag, value, 2);
        break;
      case '--samples':
        args.samples = integer(flag, value, 2);
        break;
      case '--threads':
        args.threads = integer(flag, value, 1);
        break;
      case '--out':
        if (value === undefined || value.startsWith('--')) throw new Error('--out needs a folder');
        args.out = value;
        break;
      default:
        throw new Error(`unknown option ${JSON.stringify(flag)}\n${PARITY_HELP}`);
    }
    i++;
  }
  return args;
}
