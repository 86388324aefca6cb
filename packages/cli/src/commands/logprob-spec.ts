// What `pfm logprob --help` shows and what its flags are: the command's spec without its run, in a
// module of its own that loads neither tfjs nor a plugin, so the help and the flag parsing of the
// main thread need no computing module (logprob-command.ts adds the run).
import type { CommandHelpSpec } from '../cli/command-spec.js';

/** The flags and help of `pfm logprob` (logprobCommand is this spec with its run). */
export const logprobSpec: CommandHelpSpec = {
  name: 'logprob',
  summary: 'log density of a model at each point of a data file (models with a density)',
  usage: 'pfm logprob --model MODEL.json --data FILE [--labels FILE | --context FILE] [--bits-per-dim] --out FILE',
  description:
    'Writes log p(x) of the model at every row x of --data to --out (.csv with a "logprob" header, .json or\n' +
    '.npy; one column). Only for models with a density (normalizing flows, VAEs, every flow model): other models are an error.\n' +
    'A model trained with --labels needs --labels FILE (the class c of each data row) and writes log p(x | c);\n' +
    'one trained with --context needs --context FILE (the context vector c of each data row, m columns).\n' +
    'A model trained on dequantised pixels (images in [0, 1] with K grey levels, K = 256 by default) has a\n' +
    'density over the continuous dequantised pixels x̃ = (x·(K − 1) + u)/K, u ~ U[0, 1)^d, not at the pixels\n' +
    'themselves: for it the column is the log-probability of the discrete image, log P(x) ≈ log p(x̃) − d·log K\n' +
    '(one draw of u, fixed noise seed; a VAE writes its bound of the same), in nats, and stderr reports the mean\n' +
    'bits per dimension, −log P(x)/(d·ln 2), the standard figure for images. --bits-per-dim writes each row\n' +
    "in bits per dimension instead (a \"bits_per_dim\" column; only for such models).\n" +
    'Degenerate data (fewer than 2 points, fewer points than dimensions, constant columns, one point repeated) are named in a warning on stderr, as by train and eval.',
  positionals: [],
  flags: {
    model: { type: 'string', value: 'MODEL.json', description: 'the model file (required)' },
    data: { type: 'string', value: 'FILE', description: 'points: .csv, .json or .npy (required)' },
    out: { type: 'string', value: 'FILE', description: 'output file: .csv, .json or .npy (required)' },
    labels: { type: 'string', value: 'FILE', description: 'class of each data row, one column, for a model trained with --labels: log p(x | c)' },
    context: { type: 'string', value: 'FILE', description: 'context vector of each data row (m columns), for a model trained with --context: log p(x | c)' },
    'bits-per-dim': { type: 'boolean', description: 'write bits per dimension, −log P(x)/(d·ln 2), instead of log P(x) (models trained on dequantised pixels)' },
  },
  compute: true,
  examples: [
    'pfm logprob --model realnvp.json --data moons.csv --out logp.csv',
    'pfm logprob --model cvae.json --data d.csv --labels y.csv --out logp.csv',
    'pfm logprob --model realnvp-digits.json --data digits.npy --bits-per-dim --out bpd.csv',
  ],
};
