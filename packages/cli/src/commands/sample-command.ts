import * as tf from '@tensorflow/tfjs-core';
import { createRng, encodeDataFile, type DataTable, type Model, type SampleOptions } from '@pfm/core';
import { checkWritable, readDataFile, writeFileAtomic } from '@pfm/core/node';
import { encodePngGrid } from '@pfm/datasets/node';
import { CliError } from '../cli/cli-error.js';
import type { CommandSpec } from '../cli/command-spec.js';
import { sampleSpec } from './sample-spec.js';
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
  ...sampleSpec,
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
