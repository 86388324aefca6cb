import * as tf from '@tensorflow/tfjs-core';
import { createRng, type SampleOptions } from '@pfm/core';
import { writeDataFile } from '@pfm/core/node';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { booleanFlag, integerFlag, positiveNumberFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { loadModelFile } from '../io/load-model.js';
import { prepareDataOutput } from '../io/prepare-output.js';
import { checkSamplingFlags } from '../sample/check-sampling-flags.js';
import { MAX_POINTS } from './data-command.js';

/** `pfm sample --model MODEL.json -n N [--seed S] [--integrator ID] [--steps K | --rtol R --atol A --controller ID] --out FILE`. */
export const sampleCommand: CommandSpec = {
  name: 'sample',
  summary: 'draw N samples from a trained model into a CSV, JSON or NPY file',
  usage: 'pfm sample --model MODEL.json -n N [--seed S] [--integrator ID] [--steps K | --rtol R [--atol A] [--controller ID]] [--stochastic] --out FILE',
  description:
    'Draws N samples from a model file and writes them to FILE (.csv, .json or .npy by extension). Models that\n' +
    'integrate a flow take --integrator (an "integrator" id: pfm list --kind integrator) and --steps (fixed steps),\n' +
    'or --rtol/--atol for adaptive steps (an integrator with an error estimate: dopri5, heun) with --controller (a\n' +
    '"controller" id: pfm list --kind controller; default pi). Omitted, they come from the model\'s own sampler. --stochastic\n' +
    'uses the stochastic sampler where the model has one; on other models these flags are an error. Reports the function evaluations per sample (NFE) and\n' +
    'the seconds on stderr. Same model, N, seed and options: same samples on the same backend.',
  positionals: [],
  flags: {
    model: { type: 'string', value: 'MODEL.json', description: 'the model file (required)' },
    count: { type: 'string', short: 'n', value: 'N', description: 'number of samples (required)' },
    seed: { type: 'string', value: 'S', description: 'random seed (integer, default 0)' },
    integrator: { type: 'string', value: 'ID', description: "integrator of a flow model (default: the model's own)" },
    steps: { type: 'string', value: 'K', description: 'integration steps of a fixed-step integrator' },
    rtol: { type: 'string', value: 'R', description: 'relative tolerance: adaptive steps (needs an integrator with an error estimate)' },
    atol: { type: 'string', value: 'A', description: 'absolute tolerance: adaptive steps (needs an integrator with an error estimate)' },
    controller: { type: 'string', value: 'ID', description: 'step-size controller of adaptive steps (pi, integral; default pi)' },
    stochastic: { type: 'boolean', description: 'draw from the stochastic sampler (reverse SDE) where there is one' },
    out: { type: 'string', value: 'FILE', description: 'output file: .csv, .json or .npy (required)' },
  },
  compute: true,
  examples: [
    'pfm sample --model realnvp.json -n 1000 --out samples.csv',
    'pfm sample --model fm.json -n 5000 --integrator rk4 --steps 8 --out fm.npy',
    'pfm sample --model fm.json -n 5000 --integrator dopri5 --rtol 1e-5 --controller integral --out fm.npy',
  ],
  async run({ values, registry, io }) {
    const modelPath = requiredFlag(values, 'model', 'sample');
    const n = integerFlag(requiredFlag(values, 'count', 'sample', '-n'), '-n', { min: 1, max: MAX_POINTS })!;
    const seed = integerFlag(stringFlag(values, 'seed'), '--seed') ?? 0;
    const integrator = stringFlag(values, 'integrator');
    const steps = integerFlag(stringFlag(values, 'steps'), '--steps', { min: 1 });
    const rtol = positiveNumberFlag(stringFlag(values, 'rtol'), '--rtol');
    const atol = positiveNumberFlag(stringFlag(values, 'atol'), '--atol');
    const controller = stringFlag(values, 'controller');
    const out = requiredFlag(values, 'out', 'sample');
    const options: SampleOptions & { rtol?: number; atol?: number; controller?: string } = {
      ...(integrator !== undefined ? { integrator } : {}),
      ...(steps !== undefined ? { steps } : {}),
      ...(rtol !== undefined ? { rtol } : {}),
      ...(atol !== undefined ? { atol } : {}),
      ...(controller !== undefined ? { controller } : {}),
      ...(booleanFlag(values, 'stochastic') ? { stochastic: true } : {}),
    };
    if (integrator !== undefined) registry.get('integrator', integrator);
    if (controller !== undefined) registry.get('controller', controller);
    await prepareDataOutput(out);

    const model = await loadModelFile(modelPath, registry);
    try {
      checkSamplingFlags(model, options);
      const nfe = model.nfeFor ? model.nfeFor(options) : model.nfe;
      const start = performance.now();
      const samples = model.sample(n, createRng(seed), options);
      let values32: Float32Array;
      try {
        values32 = Float32Array.from(samples.dataSync());
      } finally {
        tf.dispose(samples);
      }
      const seconds = (performance.now() - start) / 1000;
      await writeDataFile(out, { rows: n, cols: model.dim, values: values32 });
      io.stderr(`sampled ${n} points (dim ${model.dim}) from the ${model.method} model ${modelPath}: NFE ${nfe}, ${seconds.toFixed(3)} s; wrote ${out}\n`);
    } finally {
      model.dispose();
    }
    return EXIT_CODES.ok;
  },
};
