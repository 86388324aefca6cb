// What `pfm train --help` shows and what its flags are: the command's spec without its run, in a
// module of its own that loads neither tfjs nor a plugin, so the help and the flag parsing of the
// main thread need no computing module (train-command.ts adds the run).
import type { CommandHelpSpec } from '../cli/command-spec.js';
import { DEFAULT_CHECKPOINT_MINUTES } from '../train/train-flags.js';

/** The flags and help of `pfm train` (trainCommand is this spec with its run). */
export const trainSpec: CommandHelpSpec = {
  name: 'train',
  summary: 'train a method on a data file and write the model file',
  usage: 'pfm train --data FILE|FOLDER|ID --method ID [--config FILE.json] [flags] --out MODEL.json',
  description:
    'Trains the objective --method (pfm list --kind objective) on the points of --data and writes the model\n' +
    'to --out. --data is a data file (.csv, .json or .npy), a folder of PNG images of one size, or a data set\n' +
    'with a fixed set of points (mnist: its training split). Images — a folder, an .npy of shape (n, h, w, c)\n' +
    'or (n, h, w), or mnist — are trained on as flat rows of h·w·c values, their shape [h, w, c] is given to\n' +
    'the objective and recorded in the model file ("eventShape"). On images each method fills what the recipe\n' +
    'leaves out with its image defaults (batch 64; an EMA of the weights, decay 0.999, for velocity fields;\n' +
    'dequantisation for density models; a 16-d latent for VAEs); the model file records the recipe used.\n' +
    '--labels FILE (one class per data row) or --labels ID, the --data set\'s own labels (--data mnist --labels\n' +
    'mnist: the digits), trains a model conditioned on the class (a conditional unet on images); with\n' +
    '--condition-dropout P it can be sampled with classifier-free guidance (pfm sample --class 7 --guidance 2).\n' +
    '--context FILE (one row of m numbers per data row: .csv, .json or .npy) trains a model conditioned on a\n' +
    'context vector c ∈ R^m instead (sampled with pfm sample --context); not with --labels.\n' +
    '--config is the whole training recipe as JSON:\n' +
    '  {"method": ID, "options": {...}, "model": {"hidden": [64, 64, 64], "activation": "selu"},\n' +
    '   "optimizer": {"name": "adamw", "lr": 0.001, "weightDecay": 0.00001}, "steps": N, "batchSize": B, "seed": S}\n' +
    'and the flags override it; every field is validated (errors name the field). Progress goes to stderr,\n' +
    `one line of JSON to stdout at the end. A checkpoint is written to MODEL.json.ckpt.json every ${DEFAULT_CHECKPOINT_MINUTES} minutes of\n` +
    'wall time (--checkpoint-minutes), so a run killed without warning loses minutes; Ctrl-C or SIGTERM writes one\n' +
    '(of the last completed step, within seconds even mid-step) and exits 130 or 143; the same command with\n' +
    '--resume CHECKPOINT continues it, to the same final model bit for bit (on the same backend); a checkpoint\n' +
    'records the data (shape and hash) and refuses other data. A run that\n' +
    'diverges (NaN or Inf) saves the last good parameters and exits 2; with --on-divergence rollback it goes\n' +
    'back to the last snapshot (every 50 steps, or divergence.snapshotEvery) with the learning rate times\n' +
    '--rollback-lr-factor, at most --max-rollbacks times. --time-limit M stops a run after M minutes, saves the\n' +
    'model it has (status "time-limit" in the file) and a checkpoint that --resume continues. The output\n' +
    'directory is checked for free space first.',
  positionals: [],
  flags: {
    data: { type: 'string', value: 'FILE', description: 'training data: .csv, .json, .npy, a folder of PNGs or a data set id (mnist) (required)' },
    method: { type: 'string', value: 'ID', description: 'objective id (or "method" in --config)' },
    config: { type: 'string', value: 'FILE.json', description: 'the training recipe (see above)' },
    steps: { type: 'string', value: 'N', description: 'training steps (default 2000)' },
    'batch-size': { type: 'string', value: 'B', description: 'minibatch size (default 256; 64 on images)' },
    lr: { type: 'string', value: 'X', description: 'learning rate (optimizer.lr, default 0.001)' },
    seed: { type: 'string', value: 'S', description: 'random seed (integer, default 0)' },
    teacher: { type: 'string', value: 'MODEL.json', description: 'teacher model of a distillation method (options.teacher)' },
    'on-divergence': { type: 'string', value: 'ACTION', description: 'on a NaN/Inf loss or gradient: stop (default) or rollback' },
    'max-rollbacks': { type: 'string', value: 'N', description: 'rollbacks allowed before stopping (divergence.maxRollbacks, default 3)' },
    'rollback-lr-factor': { type: 'string', value: 'X', description: 'learning-rate factor per rollback, in (0, 1) (default 0.5)' },
    'ema-decay': { type: 'string', value: 'D', description: 'keep an exponential moving average of the weights (ema.decay, in [0, 1)); the model samples with it (0: sample with the last weights)' },
    'time-limit': {
      type: 'string',
      value: 'M',
      description: 'stop after M minutes of wall time, save the model as it is and a checkpoint to continue from',
    },
    'checkpoint-every': { type: 'string', value: 'N', description: 'write MODEL.json.ckpt.json every N steps' },
    'checkpoint-minutes': {
      type: 'string',
      value: 'M',
      description: `write MODEL.json.ckpt.json every M minutes of wall time (default ${DEFAULT_CHECKPOINT_MINUTES}; 0: only on Ctrl-C)`,
    },
    resume: { type: 'string', value: 'CHECKPOINT', description: 'continue the run saved in this checkpoint' },
    labels: {
      type: 'string',
      value: 'FILE|DATASET',
      description: 'class label of each data row (a file with one column), or the --data set\'s own labels (--data mnist --labels mnist): trains a conditional model',
    },
    context: {
      type: 'string',
      value: 'FILE',
      description: 'context vector of each data row (a file of m columns, one row per data row): trains a model conditioned on c ∈ R^m',
    },
    'condition-dropout': { type: 'string', value: 'P', description: 'probability of training a row without its label (options.conditionDropout), for --guidance at sampling' },
    out: { type: 'string', value: 'MODEL.json', description: 'the model file to write (required)' },
    quiet: { type: 'boolean', short: 'q', description: 'no progress on stderr' },
    'max-memory': {
      type: 'string',
      value: 'SIZE',
      description: 'refuse a run whose estimated peak memory is above SIZE (512M, 8G; default 80% of the memory available)',
    },
  },
  compute: true,
  examples: [
    'pfm train --data moons.csv --method realnvp --steps 500 --out realnvp.json',
    'pfm train --data moons.csv --config recipe.json --lr 3e-4 --checkpoint-every 1000 --out model.json',
    'pfm train --data moons.csv --config recipe.json --out model.json --resume model.json.ckpt.json',
    'pfm train --data moons.csv --method realnvp --lr 0.01 --on-divergence rollback --max-rollbacks 5 --out realnvp.json',
    'pfm train --data mnist --method flow-matching --steps 5000 --out digits.json',
    'pfm train --data mnist --labels mnist --condition-dropout 0.1 --method flow-matching --steps 5000 --out digits-cfm.json',
    'pfm train --data mnist --method energy --time-limit 10 --out energy-digits.json',
    'pfm train --data x.csv --context c.csv --condition-dropout 0.1 --method flow-matching --out cfm-context.json',
    'pfm train --data digits/ --method mmd --out pngs.json',
  ],
};
