// The tour: one model per family trained on the same toy data set, sampled, measured against
// held-out points and drawn, so the three families of "Touring sampling with pushforward maps"
// can be compared side by side.
import * as tf from '@tensorflow/tfjs-core';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, modelToContent, trainRecipe, type ModelFileContent, type Registry, type RecipeInput, type SampleOptions } from '@pfm/core';
import { sampleDataset } from '@pfm/datasets';
import { lineSvg, scatterSvg } from './svg.js';
import { runFigure1, type Figure1Result } from './figure1.js';
import { runFootnote3, type Footnote3Result } from './footnote3.js';
import { MNIST_STOP_TITLE, mnistStopRecipe, runMnistStop, type MnistStopResult } from './mnist-stop.js';
import { CURRICULUM_STOP_TITLE, curriculumStopRecipes, runCurriculumStop, type CurriculumStopResult } from './curriculum-stop.js';

export interface TourStop {
  family: string;
  title: string;
  recipe: RecipeInput;
  sample?: SampleOptions;
  /** Index of an earlier stop whose trained model becomes `options.teacher` (distillation). */
  teacherFrom?: number;
}

export interface TourResult {
  family: string;
  title: string;
  method: string;
  status: 'trained' | 'unavailable' | 'failed';
  message?: string;
  steps?: number;
  trainSeconds?: number;
  stepsPerSecond?: number;
  finalLoss?: number;
  nfe?: number;
  sampleMsPer1000?: number;
  metrics?: Record<string, number>;
  testLogLikelihood?: number;
}

export interface TourOptions {
  registry: Registry;
  outDir: string;
  stops: TourStop[];
  dataset?: string;
  trainPoints?: number;
  testPoints?: number;
  /** Discrepancy ids used as metrics, when registered (with their options). */
  metrics?: { id: string; label: string; options?: Record<string, unknown> }[];
  onStopStart?: (index: number, stop: TourStop) => void;
  onProgress?: (index: number, step: number, steps: number, loss: number, etaSeconds: number) => void;
  /** Training steps of the Fig. 1 experiment (0 leaves it out). Default 1500. */
  figure1Steps?: number;
  /** Generator updates of the footnote 3 experiment, per formulation (0 leaves it out). Default 200. */
  footnote3Steps?: number;
  /** Training steps of each side of the curriculum stop (GAN plain and with the curriculum on the 5×5 grid; 0 leaves it out). Default 400. */
  curriculumSteps?: number;
  /** Training steps of the MNIST stop, a grid of samples in `mnist-samples.png` (0 leaves it out). Default 300. */
  mnistSteps?: number;
  /** Samples of the MNIST stop scored by FLD against as many test digits (2 to 1,000). Default 1,000. */
  mnistScoredImages?: number;
}

/** The family and title the MNIST stop is announced with (`onStopStart`, at index `stops.length`, plus one after the curriculum stop). */
export const MNIST_STOP = { family: 'images (MNIST)', title: MNIST_STOP_TITLE } as const;

/** The family and title the curriculum stop is announced with (`onStopStart`, at index `stops.length`, before the MNIST stop). */
export const CURRICULUM_STOP = { family: 'flows → one step', title: CURRICULUM_STOP_TITLE } as const;

/** What {@link runTour} returns: a result per stop, and the curriculum and MNIST stops' when they ran. */
export type TourResults = TourResult[] & { mnist?: MnistStopResult; curriculum?: CurriculumStopResult };

const COLORS = { data: '#1f77b4', model: '#d62728' };

export async function runTour(options: TourOptions): Promise<TourResults> {
  const { registry } = options;
  const datasetId = options.dataset ?? 'moons';
  const train = sampleDataset(datasetId, options.trainPoints ?? 4000, 1);
  const test = sampleDataset(datasetId, options.testPoints ?? 1000, 2);
  const trainData = tf.tensor2d(train.values, [train.rows, train.cols]);
  const testData = tf.tensor2d(test.values, [test.rows, test.cols]);
  const metrics = (options.metrics ?? []).filter((m) => registry.has('discrepancy', m.id));
  const results: TourResults = [];
  const figures: string[] = [];
  const contents = new Map<number, ModelFileContent>();
  await mkdir(options.outDir, { recursive: true });
  try {
    for (const [index, stop] of options.stops.entries()) {
      options.onStopStart?.(index, stop);
      const base = { family: stop.family, title: stop.title, method: stop.recipe.method };
      if (!registry.has('objective', stop.recipe.method)) {
        results.push({ ...base, status: 'unavailable', message: `no plugin registers "${stop.recipe.method}" yet` });
        continue;
      }
      let recipe = stop.recipe;
      if (stop.teacherFrom !== undefined) {
        const teacher = contents.get(stop.teacherFrom);
        if (!teacher) {
          results.push({ ...base, status: 'unavailable', message: `its teacher (stop ${stop.teacherFrom + 1}) was not trained` });
          continue;
        }
        recipe = { ...recipe, options: { ...(recipe.options ?? {}), teacher } };
      }
      try {
        const { model, result } = await trainRecipe(recipe, trainData, {
          registry,
          progressEvery: 10,
          onProgress: (p) => options.onProgress?.(index, p.step, p.steps, p.loss, p.etaSeconds),
        });
        try {
          if (options.stops.some((s) => s.teacherFrom === index)) contents.set(index, modelToContent(model, registry));
          const t0 = performance.now();
          const samples = model.sample(test.rows, createRng(3), stop.sample);
          await samples.data();
          const sampleMs = performance.now() - t0;
          const values: Record<string, number> = {};
          for (const m of metrics) {
            const d = registry.create('discrepancy', { id: m.id, options: m.options });
            values[m.label] = tf.tidy(() => d(samples, testData).dataSync()[0]!);
          }
          let testLogLikelihood: number | undefined;
          if (model.logProb) testLogLikelihood = tf.tidy(() => tf.mean(model.logProb!(testData)).dataSync()[0]!);
          const slug = `${index + 1}-${stop.recipe.method}`;
          const cloud = scatterSvg(`${stop.title}`, [
            { label: 'test data', color: COLORS.data, points: test.values },
            { label: 'samples', color: COLORS.model, points: samples.dataSync() },
          ], { dim: test.cols });
          const loss = lineSvg(`${stop.title}: training loss`, [{ label: 'loss', color: COLORS.model, points: result.lossHistory }]);
          await writeFile(join(options.outDir, `${slug}-samples.svg`), cloud);
          await writeFile(join(options.outDir, `${slug}-loss.svg`), loss);
          figures.push(slug);
          samples.dispose();
          results.push({
            ...base,
            status: 'trained',
            steps: result.steps,
            trainSeconds: result.seconds,
            stepsPerSecond: result.stepsPerSecond,
            finalLoss: result.finalLoss,
            nfe: model.nfeFor?.(stop.sample) ?? model.nfe,
            sampleMsPer1000: (sampleMs * 1000) / test.rows,
            metrics: values,
            ...(testLogLikelihood !== undefined ? { testLogLikelihood } : {}),
          });
        } finally {
          model.dispose();
        }
      } catch (error) {
        results.push({ ...base, status: 'failed', message: (error as Error).message });
      }
    }
  } finally {
    tf.dispose([trainData, testData]);
  }
  const figure1 = options.figure1Steps === 0 ? undefined : await runFigure1(registry, options.outDir, options.figure1Steps ?? 1500);
  const footnote3 = options.footnote3Steps === 0 ? undefined : await runFootnote3(options.outDir, options.footnote3Steps ?? 200);
  const curriculumSteps = options.curriculumSteps ?? 400;
  if (curriculumSteps > 0) {
    const index = options.stops.length;
    options.onStopStart?.(index, { ...CURRICULUM_STOP, recipe: curriculumStopRecipes(curriculumSteps).curriculum });
    const curriculum = await runCurriculumStop(registry, options.outDir, curriculumSteps, (step, steps, loss, eta) => options.onProgress?.(index, step, steps, loss, eta));
    if (curriculum) results.curriculum = curriculum;
  }
  const mnistSteps = options.mnistSteps ?? 300;
  if (mnistSteps > 0) {
    const index = options.stops.length + (curriculumSteps > 0 ? 1 : 0);
    options.onStopStart?.(index, { ...MNIST_STOP, recipe: mnistStopRecipe(mnistSteps) });
    const mnist = await runMnistStop(registry, options.outDir, {
      steps: mnistSteps,
      ...(options.mnistScoredImages !== undefined ? { scoredImages: options.mnistScoredImages } : {}),
      onProgress: (step, steps, loss, eta) => options.onProgress?.(index, step, steps, loss, eta),
    });
    if (mnist) results.mnist = mnist;
  }
  await writeReport(options.outDir, datasetId, results, figures, metrics.map((m) => m.label), figure1, footnote3, results.mnist, results.curriculum);
  return results;
}

function fmt(v: number | undefined, digits = 3): string {
  return v === undefined || !Number.isFinite(v) ? '—' : v.toPrecision(digits);
}

async function writeReport(
  dir: string,
  dataset: string,
  results: TourResult[],
  figures: string[],
  metricLabels: string[],
  figure1: Figure1Result | undefined,
  footnote3: Footnote3Result | undefined,
  mnist: MnistStopResult | undefined,
  curriculum: CurriculumStopResult | undefined,
): Promise<void> {
  const curriculumText = curriculum
    ? `The paper's proposal (section 4) on the mode-collapse benchmark: the same non-saturating GAN trained ${curriculum.sides[0]!.steps} steps plain and ${curriculum.sides[1]?.steps ?? '—'} steps inside the diffusion-path curriculum (identity start, 4 levels from noisy to sharp data). ${curriculum.sides.map((s) => `${s.variant}: ${s.modesReached}/25 modes reached, energy distance ${s.energyDistance.toPrecision(3)}, ${s.trainSeconds.toFixed(1)} s`).join('; ')}. One seed at a small budget shows what the runs look like, not which is better; the measured answer (docs/curriculum.md, 5 to 10 seeds): ${curriculum.conclusion}`
    : '';
  const mnistText = mnist
    ? `${mnist.title}: ${mnist.steps} steps of 64 of the 9,000 training digits in ${mnist.trainSeconds.toFixed(1)} s; the grid of 64 samples (${mnist.gridMs.toFixed(0)} ms to draw, NFE ${mnist.nfe}) is ${mnist.grid}. FLD to ${mnist.scoredImages} test digits (lower is better): ${mnist.fld.toPrecision(3)}, against ${mnist.fldFloor.toPrecision(3)} for as many training digits.`
    : '';
  const fig1Text = figure1
    ? `Fig. 1 of the paper: N(0, 1) → Uniform(0, 1) by D₂ over e^{2πikx}, k = 1..10; after ${figure1.steps} steps (${figure1.seconds.toFixed(1)} s) the learned map is within ${figure1.maxError.toFixed(3)} of the Gaussian CDF on [−2, 2].`
    : '';
  const fn3Text = footnote3
    ? `Footnote 3 of the paper: target U((0, ¼) ∪ (¾, 1)), generator U(a, a + ½), ${footnote3.steps} gradient updates of a from a = 0 with the same Gaussian-bump test functions. Max formulation (a critic picking the worst test function every 10 updates): over the last half a still spans ${footnote3.maxAmplitude.toFixed(3)} (it cycles between the modes). Mean formulation D₂: it spans ${footnote3.meanAmplitude.toFixed(3)} and ends at a = ${footnote3.meanFinal.toFixed(3)}, the minimiser being ${footnote3.minimiser}.`
    : '';
  const header = ['family', 'model', 'status', 'steps', 'train s', 'steps/s', 'NFE', 'ms / 1000 samples', ...metricLabels, 'test log-lik.'];
  const rows = results.map((r) => [
    r.family,
    r.title,
    r.status === 'trained' ? 'trained' : `${r.status}: ${r.message ?? ''}`,
    String(r.steps ?? '—'),
    fmt(r.trainSeconds),
    fmt(r.stepsPerSecond),
    String(r.nfe ?? '—'),
    fmt(r.sampleMsPer1000),
    ...metricLabels.map((l) => fmt(r.metrics?.[l])),
    fmt(r.testLogLikelihood),
  ]);
  const md = [
    `# pfm tour — ${dataset}`,
    '',
    `Backend: ${tf.getBackend()}. Metrics compare ${results[0] ? 'model samples' : ''} with held-out test points (lower is better).`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...figures.flatMap((f) => [`![${f}](${f}-samples.svg) ![${f} loss](${f}-loss.svg)`, '']),
    ...(figure1 ? ['## Fig. 1', '', fig1Text, '', '![Fig. 1](figure-1.svg)', ''] : []),
    ...(footnote3 ? ['## Footnote 3: max vs mean formulation', '', fn3Text, '', '![Footnote 3](footnote-3.svg)', ''] : []),
    ...(curriculum ? ['## GAN with and without the curriculum', '', curriculumText, '', curriculum.sides.map((s) => `![GAN ${s.variant}](${s.figure})`).join(' '), ''] : []),
    ...(mnist ? ['## Images: MNIST', '', mnistText, '', `![MNIST samples](${mnist.grid})`, ''] : []),
  ].join('\n');
  const escape = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>pfm tour</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,td:nth-child(2),td:nth-child(3){text-align:left}</style>
</head><body><h1>pfm tour — ${escape(dataset)}</h1><p>Backend: ${escape(tf.getBackend())}. Metrics compare 1000 model samples with 1000 held-out test points (lower is better).</p>
<table><tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>
${rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('\n')}</table>
${figures.map((f) => `<p><img src="${f}-samples.svg"> <img src="${f}-loss.svg"></p>`).join('\n')}
${figure1 ? `<h2>Fig. 1</h2><p>${escape(fig1Text)}</p><p><img src="figure-1.svg"></p>` : ''}
${footnote3 ? `<h2>Footnote 3: max vs mean formulation</h2><p>${escape(fn3Text)}</p><p><img src="footnote-3.svg"></p>` : ''}
${curriculum ? `<h2>GAN with and without the curriculum</h2><p>${escape(curriculumText)}</p><p>${curriculum.sides.map((s) => `<img src="${s.figure}" alt="GAN ${s.variant}">`).join(' ')}</p>` : ''}
${mnist ? `<h2>Images: MNIST</h2><p>${escape(mnistText)}</p><p><img src="${mnist.grid}" alt="MNIST samples" style="image-rendering:pixelated;width:${2 * (8 * 28 + 9 * 2)}px"></p>` : ''}
</body></html>`;
  await writeFile(join(dir, 'report.md'), md);
  await writeFile(join(dir, 'index.html'), html);
  await writeFile(join(dir, 'results.json'), JSON.stringify({ dataset, backend: tf.getBackend(), results: [...results], figure1: figure1 ?? null, footnote3: footnote3 ?? null, curriculum: curriculum ?? null, mnist: mnist ?? null }, null, 2));
}
