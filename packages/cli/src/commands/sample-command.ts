import * as tf from '@tensorflow/tfjs-core';
import { createRng, encodeDataFile, type DataTable, type Model, type SampleOptions } from '@pfm/core';
import { checkWritable, readDataFile, writeFileAtomic } from '@pfm/core/node';
import { encodePngGrid } from '@pfm/datasets/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { booleanFlag, integerFlag, positiveNumberFlag, requiredFlag, stringFlag } from '../cli/flag-values.js';
import { loadModelFile } from '../io/load-model.js';
import { prepareDataOutput } from '../io/prepare-output.js';
import { checkGridModel } from '../sample/check-grid-model.js';
import { checkSamplingFlags } from '../sample/check-sampling-flags.js';
import { transportNoise } from '../sample/transport-noise.js';
import { MAX_POINTS } from './data-command.js';
import { readLabelsFile } from '../train/read-labels-file.js';
import { checkConditionFlags } from '../sample/check-condition-flags.js';
import { clipImageValues } from '../sample/clip-image-values.js';
import { checkContext } from '../condition/context-condition.js';
import { readContextFile } from '../condition/read-context-file.js';

/**
 * Images are drawn this many at a time: a U-Net's activations take megabytes per image, and a
 * thousand at once overflow the wasm heap.
 */
export const IMAGE_SAMPLE_CHUNK = 128;

/**
 * The n samples of `model` as one array. Vector models draw them in one call with the stream of
 * `seed`; image models (an `eventShape`) in chunks of IMAGE_SAMPLE_CHUNK, chunk k with the stream
 * createRng(seed).fold(k) (so n ≤ IMAGE_SAMPLE_CHUNK is one call with createRng(seed).fold(0)).
 */
function drawSamples(model: Model, n: number, seed: number, options: SampleOptions): Float32Array {
  const chunk = model.eventShape !== undefined ? IMAGE_SAMPLE_CHUNK : n;
  const out = new Float32Array(n * model.dim);
  for (let k = 0, start = 0; start < n; k++, start += chunk) {
    const count = Math.min(chunk, n - start);
    const rng = model.eventShape !== undefined ? createRng(seed).fold(k) : createRng(seed);
    const condition = options.condition;
    // Per-sample conditions go with their chunk: n labels, or n context vectors of m values.
    const m = model.condition?.kind === 'context' ? model.condition.dim : 1;
    const perSample = (condition instanceof Int32Array || condition instanceof Float32Array) && condition.length === n * m;
    const chunkCondition = perSample ? { condition: condition.subarray(start * m, (start + count) * m) } : {};
    const samples = model.sample(count, rng, { ...options, ...chunkCondition });
    try {
      out.set(samples.dataSync(), start * model.dim);
    } finally {
      tf.dispose(samples);
    }
  }
  return out;
}

/** `pfm sample --model MODEL.json -n N [--seed S] [--integrator ID] [--steps K | --rtol R --atol A --controller ID] --out FILE | --grid PNG`. */
export const sampleCommand: CommandSpec = {
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
  // A signal stops the command at once (it runs off the main thread); these lose their temporaries.
  outputs: (values) => [stringFlag(values, 'out'), stringFlag(values, 'grid')].filter((p): p is string => p !== undefined),
  async run({ values, registry, io }) {
    const modelPath = requiredFlag(values, 'model', 'sample');
    const noisePath = stringFlag(values, 'noise');
    const contextPath = stringFlag(values, 'context');
    if (contextPath !== undefined && (stringFlag(values, 'class') !== undefined || stringFlag(values, 'labels') !== undefined)) {
      throw new CliError('--context and --class/--labels both give the condition of the samples (a context vector, or a class); use one');
    }
    const countText = noisePath === undefined && contextPath === undefined ? requiredFlag(values, 'count', 'sample', '-n') : stringFlag(values, 'count');
    if (noisePath !== undefined && stringFlag(values, 'seed') !== undefined) throw new CliError('--seed draws the noise that --noise gives; use one of them');
    const noise = noisePath !== undefined ? await readDataFile(noisePath) : undefined;
    const context = contextPath !== undefined ? await readContextFile(contextPath, '--context') : undefined;
    const n = integerFlag(countText ?? String(noise?.rows ?? context!.rows), '-n', { min: 1, max: MAX_POINTS })!;
    if (noise !== undefined && n !== noise.rows) throw new CliError(`-n ${n}: --noise ${noisePath} holds ${noise.rows} rows, one per sample`);
    const seed = integerFlag(stringFlag(values, 'seed'), '--seed') ?? 0;
    const integrator = stringFlag(values, 'integrator');
    const steps = integerFlag(stringFlag(values, 'steps'), '--steps', { min: 1 });
    const rtol = positiveNumberFlag(stringFlag(values, 'rtol'), '--rtol');
    const atol = positiveNumberFlag(stringFlag(values, 'atol'), '--atol');
    const controller = stringFlag(values, 'controller');
    const out = stringFlag(values, 'out');
    const grid = stringFlag(values, 'grid');
    const gridColumns = integerFlag(stringFlag(values, 'grid-cols'), '--grid-cols', { min: 1 });
    if (out === undefined && grid === undefined) throw new CliError('--out or --grid is required (see pfm sample --help)');
    if (gridColumns !== undefined && grid === undefined) throw new CliError('--grid-cols needs --grid PICTURE.png');
    const unclipped = booleanFlag(values, 'unclipped');
    if (grid !== undefined && !/\.png$/i.test(grid)) throw new CliError(`--grid ${grid}: the picture is written as PNG, its name must end in .png`);
    const options: SampleOptions & { rtol?: number; atol?: number; controller?: string } = {
      ...(integrator !== undefined ? { integrator } : {}),
      ...(steps !== undefined ? { steps } : {}),
      ...(rtol !== undefined ? { rtol } : {}),
      ...(atol !== undefined ? { atol } : {}),
      ...(controller !== undefined ? { controller } : {}),
      ...(booleanFlag(values, 'stochastic') ? { stochastic: true } : {}),
    };
    const classFlag = integerFlag(stringFlag(values, 'class'), '--class', { min: 0 });
    const labelsPath = stringFlag(values, 'labels');
    const guidanceText = stringFlag(values, 'guidance');
    const guidance = guidanceText === undefined ? undefined : Number(guidanceText);
    if (guidance !== undefined && (guidanceText!.trim() === '' || !Number.isFinite(guidance))) throw new CliError(`--guidance must be a number, got "${guidanceText}"`);
    if (classFlag !== undefined && labelsPath !== undefined) throw new CliError('--class and --labels both give the classes of the samples; use one');
    const labels = labelsPath !== undefined ? await readLabelsFile(labelsPath, '--labels', n) : undefined;
    if (classFlag !== undefined) options.condition = classFlag;
    if (labels !== undefined) options.condition = labels;
    if (context !== undefined) options.condition = context.values;
    if (guidance !== undefined) options.guidance = guidance;
    if (integrator !== undefined) registry.get('integrator', integrator);
    if (controller !== undefined) registry.get('controller', controller);
    const format = out !== undefined ? await prepareDataOutput(out) : undefined;
    if (grid !== undefined) await checkWritable(grid);

    const model = await loadModelFile(modelPath, registry);
    try {
      const rowsWhat = noise !== undefined ? `one per row of --noise ${noisePath}` : countText !== undefined ? `one per sample, -n ${n}` : 'one per sample';
      checkContext(model, context, { flag: '--context', path: contextPath, modelPath, rows: n, rowsWhat, single: true });
      checkConditionFlags(model, options, modelPath, n);
      const { condition: _condition, guidance: _guidance, ...integration } = options;
      checkSamplingFlags(model, integration);
      const gridShape = grid !== undefined ? checkGridModel(model, modelPath) : undefined;
      if (unclipped && model.eventShape === undefined) {
        throw new CliError(`--unclipped: ${modelPath} samples vectors of dim ${model.dim}, which are never clipped (only the samples of an image model are)`);
      }
      const nfe = model.nfeFor ? model.nfeFor(options) : model.nfe;
      const start = performance.now();
      const values32 =
        noise !== undefined
          ? transportNoise(model, noise, options, model.eventShape !== undefined ? IMAGE_SAMPLE_CHUNK : n, noisePath!)
          : drawSamples(model, n, seed, options);
      const seconds = (performance.now() - start) / 1000;
      // One rule for every image model: its samples are written in the images' range [0, 1].
      const clipped = model.eventShape !== undefined && !unclipped ? clipImageValues(values32) : 0;
      // Everything is encoded before anything is written: a bad input leaves no file behind.
      const shape = model.eventShape;
      const table: DataTable = { rows: n, cols: model.dim, values: values32, ...(shape !== undefined && shape.length === 3 ? { shape: [...shape] } : {}) };
      const files: [string, Uint8Array][] = [];
      if (out !== undefined) files.push([out, encodeDataFile(table, format!)]);
      if (grid !== undefined) files.push([grid, encodePngGrid({ ...table, shape: gridShape! }, gridColumns !== undefined ? { columns: gridColumns } : {})]);
      for (const [path, bytes] of files) await writeFileAtomic(path, bytes);
      const what = shape !== undefined ? `dim ${model.dim}, shape [${shape.join(', ')}]` : `dim ${model.dim}`;
      const wrote = files.map(([path]) => path).join(' and ');
      const clipNote = clipped > 0 ? `; ${clipped} of ${values32.length} values clipped to [0, 1]` : '';
      io.stderr(`sampled ${n} points (${what}) from the ${model.method} model ${modelPath}: NFE ${nfe}, ${seconds.toFixed(3)} s${clipNote}; wrote ${wrote}\n`);
    } finally {
      model.dispose();
    }
    return EXIT_CODES.ok;
  },
};
