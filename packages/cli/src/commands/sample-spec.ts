// What `pfm sample --help` shows and what its flags are: the command's spec without its run, in a
// module of its own that loads neither tfjs nor a plugin, so the help and the flag parsing of the
// main thread need no computing module (sample-command.ts adds the run).
import type { CommandHelpSpec } from '../cli/command-spec.js';

/** The flags and help of `pfm sample` (sampleCommand is this spec with its run). */
export const sampleSpec: CommandHelpSpec = {
  name: 'sample',
  summary: 'draw N samples from a trained model into a CSV, JSON or NPY file, or a PNG grid of images',
  usage:
    'pfm sample --model MODEL.json -n N | --noise FILE [--seed S] [--integrator ID] [--steps K | --rtol R [--atol A] [--controller ID]] [--stochastic] ' +
    '[--class K | --labels FILE | --context FILE] [--guidance W] [--unclipped] [--out FILE] [--grid PICTURE.png [--grid-cols K]]',
  description:
    'Draws N samples from a model file and writes them to FILE (.csv, .json or .npy by extension). A model of\n' +
    'images (one trained on images records their shape [h, w, c] as "eventShape") writes one flat row of h·w·c\n' +
    'values per sample to CSV and JSON (row-major, channels last) and keeps the shape in .npy, (n, h, w, c);\n' +
    '--grid writes the samples as one PNG picture (K per row, default ⌈√N⌉; values clipped to [0, 1]; grey for\n' +
    'c = 1, RGB for c = 3), alone or with --out. Models that\n' +
    'integrate a flow take --integrator (an "integrator" id: pfm list --kind integrator) and --steps (fixed steps),\n' +
    'or --rtol/--atol for adaptive steps (an integrator with an error estimate: dopri5, heun) with --controller (a\n' +
    '"controller" id: pfm list --kind controller; default pi). Omitted, they come from the model\'s own sampler. --stochastic\n' +
    'uses the stochastic sampler where the model has one; on other models these flags are an error. Reports the function evaluations per sample (NFE) and\n' +
    'the seconds on stderr. Same model, N, seed and options: same samples on the same backend. --noise FILE (.csv,\n' +
    '.json or .npy) gives the base noise instead of the seed, one row per sample (N is its row count): a flow\n' +
    'integrates each row from t = 0, a generator maps it (rows of its latent dimension); e.g. the noise a\n' +
    'PyTorch run used, to compare samples point by point. A model trained with\n' +
    '--labels needs the class of the samples: --class K (all of them) or --labels FILE (one per sample, N rows);\n' +
    '--guidance W sets the classifier-free guidance of a flow trained with --condition-dropout (0 unconditional,\n' +
    '1 conditional, the default, > 1 stronger). A model trained with --context needs --context FILE: one sample\n' +
    'per row of FILE (m numbers a row, the model\'s context dimension), N its row count; with -n N, FILE holds\n' +
    'N rows, or one row given to all N samples. Samples of an image model are written clipped to the data range\n' +
    '[0, 1] of images (a flow\'s ODE overshoots it a little; a generator\'s sigmoid output is already inside), and\n' +
    'stderr says how many values were clipped; --unclipped writes the values as the model made them.',
  positionals: [],
  flags: {
    model: { type: 'string', value: 'MODEL.json', description: 'the model file (required)' },
    count: { type: 'string', short: 'n', value: 'N', description: 'number of samples (required unless --noise)' },
    noise: { type: 'string', value: 'FILE', description: 'the base noise, one row per sample (.csv, .json, .npy), instead of --seed' },
    seed: { type: 'string', value: 'S', description: 'random seed (integer, default 0)' },
    integrator: { type: 'string', value: 'ID', description: "integrator of a flow model (default: the model's own)" },
    steps: { type: 'string', value: 'K', description: 'integration steps of a fixed-step integrator' },
    rtol: { type: 'string', value: 'R', description: 'relative tolerance: adaptive steps (needs an integrator with an error estimate)' },
    atol: { type: 'string', value: 'A', description: 'absolute tolerance: adaptive steps (needs an integrator with an error estimate)' },
    controller: { type: 'string', value: 'ID', description: 'step-size controller of adaptive steps (pi, integral; default pi)' },
    stochastic: { type: 'boolean', description: 'draw from the stochastic sampler (reverse SDE) where there is one' },
    out: { type: 'string', value: 'FILE', description: 'output file: .csv, .json or .npy (this or --grid is required)' },
    grid: { type: 'string', value: 'PICTURE.png', description: 'write the samples of an image model as a PNG grid' },
    class: { type: 'string', value: 'K', description: 'class of every sample, for a model trained with --labels' },
    labels: { type: 'string', value: 'FILE', description: 'class of each sample, one per row (N rows), for a model trained with --labels' },
    context: {
      type: 'string',
      value: 'FILE',
      description: 'context vector of each sample, one per row (N is its row count; with -n, N rows or one for all), for a model trained with --context',
    },
    guidance: { type: 'string', value: 'W', description: 'classifier-free guidance scale (0 unconditional, 1 conditional [default], > 1 stronger); needs --condition-dropout in training' },
    'grid-cols': { type: 'string', value: 'K', description: 'images per row of the grid (default ⌈√N⌉)' },
    unclipped: { type: 'boolean', description: 'write the values of an image model as made, not clipped to [0, 1]' },
  },
  compute: true,
  examples: [
    'pfm sample --model realnvp.json -n 1000 --out samples.csv',
    'pfm sample --model fm.json -n 5000 --integrator rk4 --steps 8 --out fm.npy',
    'pfm sample --model fm.json -n 5000 --integrator dopri5 --rtol 1e-5 --controller integral --out fm.npy',
    'pfm sample --model digits.json -n 64 --grid digits.png --grid-cols 8 --out digits.npy',
    'pfm sample --model cfm.json --noise noise.npy --integrator euler --steps 100 --out cfm.npy',
    'pfm sample --model digits-cfm.json -n 64 --class 7 --guidance 2 --grid sevens.png',
    'pfm sample --model cfm-context.json --context c.csv --out given-c.csv',
  ],
};
