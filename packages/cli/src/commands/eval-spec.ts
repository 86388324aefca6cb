// What `pfm eval --help` shows and what its flags are: the command's spec without its run, in a
// module of its own that loads neither tfjs nor a plugin, so the help and the flag parsing of the
// main thread need no computing module (eval-command.ts adds the run).
import type { CommandHelpSpec } from '../cli/command-spec.js';

/** The flags and help of `pfm eval` (evalCommand is this spec with its run). */
export const evalSpec: CommandHelpSpec = {
  name: 'eval',
  summary: 'compare two point clouds with a metric (a "discrepancy" id: MMD, energy distance, Sinkhorn, …), per class with labels',
  usage:
    'pfm eval --metric ID --a FILE --b FILE [--labels FILE --labels-b FILE] [--config FILE.json] [--max-points N] [--seed S] [--json]\n' +
    'pfm eval --metric class-accuracy --a IMAGES --labels DIGITS [--json]',
  description:
    'Reads two data files of the same dimension and prints the discrepancy --metric between their points\n' +
    '(pfm list --kind discrepancy). --config is a JSON object of the metric\'s options. With --json, prints\n' +
    '{ metric, value, n, m, seconds } (n and m the numbers of points compared). --max-points N compares a\n' +
    'uniform subsample of at most N points of each file (seeded by --seed, default 0): pairwise metrics\n' +
    'cost n·m, so a million rows against a million would take hours.\n' +
    'With --labels (the class of each row of --a) and --labels-b (of each row of --b) the metric is computed\n' +
    'class by class and the value is its mean over the classes; --verbose prints each class on stderr and\n' +
    '--json adds perClass: [{ label, value, n, m }]. Every class must have points in both files.\n' +
    '--metric class-accuracy --a IMAGES --labels DIGITS (no --b) scores MNIST images (28×28×1, e.g. the\n' +
    'samples of a class-conditional model) by pfm\'s LeNet: the share classified as the digit each row was\n' +
    'requested as, overall (the value) and per digit (--verbose on stderr; --json perClass: [{ label, value, n }]).',
  positionals: [],
  flags: {
    metric: { type: 'string', value: 'ID', description: 'a "discrepancy" id (required)' },
    a: { type: 'string', value: 'FILE', description: 'first point cloud: .csv, .json or .npy (required)' },
    b: { type: 'string', value: 'FILE', description: 'second point cloud (required)' },
    config: { type: 'string', value: 'FILE.json', description: "the metric's options as a JSON object" },
    'max-points': { type: 'string', value: 'N', description: 'compare a seeded uniform subsample of at most N points of each file' },
    seed: { type: 'string', value: 'S', description: 'seed of --max-points (integer, default 0)' },
    json: { type: 'boolean', description: 'print one JSON object instead of the bare value' },
    labels: { type: 'string', value: 'FILE', description: 'class of each row of --a, one column (with --labels-b: a per-class metric)' },
    'labels-b': { type: 'string', value: 'FILE', description: 'class of each row of --b, one column (with --labels)' },
  },
  compute: true,
  examples: [
    'pfm eval --metric energy --a data.csv --b samples.csv',
    'pfm eval --metric mmd --config mmd.json --a a.npy --b b.npy --json',
    'pfm eval --metric energy --a data.csv --labels y.csv --b samples.csv --labels-b wanted.csv --verbose',
  ],
};
