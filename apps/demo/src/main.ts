// The page: data, method and recipe on the left, the live sample cloud and loss in the middle,
// sampler comparison, downloads and the recipe JSON on the right. Training runs in a worker.
import './style.css';
import { cpu } from '@pfm/backend-cpu';
import { parseRecipe, type RecipeInput } from '@pfm/core';
import { createDemoRegistry } from './registry.js';
import { datasetPoints, decodeUpload, DrawnPoints, planeDatasets } from './data/data-sources.js';
import { ScatterPlot, type ScatterLayers } from './ui/scatter-plot.js';
import { drawLossChart } from './ui/loss-chart.js';
import { renderOptionsForm, withOption } from './ui/options-form.js';
import { download } from './ui/download.js';
import type { BackendId, FromWorker, PointTable, SamplerComparison, ToWorker } from './protocol.js';

type PageState = 'loading' | 'idle' | 'training' | 'done' | 'error';

/** What the page shows, readable by scripts (the end-to-end test reads it). */
interface DemoSnapshot {
  state: PageState;
  backend: string | undefined;
  losses: number[];
  steps: number;
  comparison: SamplerComparison[];
  errors: string[];
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusEl = $<HTMLParagraphElement>('status');
const sourceSelect = $<HTMLSelectElement>('data-source');
const methodSelect = $<HTMLSelectElement>('method');
const backendSelect = $<HTMLSelectElement>('backend');
const recipeText = $<HTMLTextAreaElement>('recipe');
const recipeError = $<HTMLParagraphElement>('recipe-error');
const trainButton = $<HTMLButtonElement>('train');
const stopButton = $<HTMLButtonElement>('stop');
const compareButton = $<HTMLButtonElement>('compare');
const modelButton = $<HTMLButtonElement>('download-model');
const samplesButton = $<HTMLButtonElement>('download-samples');
const pointsCanvas = $<HTMLCanvasElement>('points');
const lossCanvas = $<HTMLCanvasElement>('loss');
const numberInputs = {
  steps: $<HTMLInputElement>('steps'),
  batchSize: $<HTMLInputElement>('batch-size'),
  lr: $<HTMLInputElement>('lr'),
  seed: $<HTMLInputElement>('seed'),
};
const hiddenInput = $<HTMLInputElement>('hidden');

const snapshot: DemoSnapshot = { state: 'loading', backend: undefined, losses: [], steps: 0, comparison: [], errors: [] };
(globalThis as { __pfmDemo?: DemoSnapshot }).__pfmDemo = snapshot;

const registry = createDemoRegistry();
const plot = new ScatterPlot(pointsCanvas);
const drawn = new DrawnPoints();
let data: PointTable = { rows: 0, cols: 2, values: new Float32Array(0) };
let reference: PointTable | undefined;
let layers: ScatterLayers = {};
let recipe: RecipeInput = {
  method: 'flow-matching',
  options: {},
  model: { hidden: [64, 64] },
  optimizer: { name: 'adam', lr: 1e-3 },
  steps: 1000,
  batchSize: 256,
  seed: 0,
};

const worker = new Worker(new URL('./worker/train-worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker) => worker.postMessage(message);

function setState(state: PageState, text: string): void {
  snapshot.state = state;
  statusEl.dataset.state = state;
  statusEl.textContent = text;
  const busy = state === 'training' || state === 'loading';
  trainButton.disabled = busy;
  stopButton.disabled = state !== 'training';
  const ready = state === 'done';
  compareButton.disabled = !ready;
  modelButton.disabled = !ready;
  samplesButton.disabled = !ready;
}

function fail(text: string): void {
  snapshot.errors.push(text);
  setState('error', text);
}

function redraw(): void {
  plot.draw({ ...layers, data: data.values });
}

// ---- recipe: one object, shown as controls and as JSON ----

/** The method's options with every default filled in; `{}` if some option is required (the recipe check then names it). */
function defaultOptions(method: string): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(registry.parseOptions('objective', method, {}))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function showRecipe(options: { text?: boolean } = {}): void {
  if (options.text !== false) recipeText.value = JSON.stringify(recipe, null, 2);
  methodSelect.value = recipe.method;
  const info = registry.list('objective').find((e) => e.id === recipe.method);
  $<HTMLParagraphElement>('method-description').textContent = info?.description ?? '';
  renderOptionsForm($<HTMLDivElement>('options-form'), info?.options ?? {}, recipe.options ?? {}, (path, value) => {
    recipe = { ...recipe, options: withOption(recipe.options ?? {}, path, value) };
    showRecipe();
  });
  numberInputs.steps.value = String(recipe.steps ?? '');
  numberInputs.batchSize.value = String(recipe.batchSize ?? '');
  numberInputs.lr.value = String(recipe.optimizer?.lr ?? '');
  numberInputs.seed.value = String(recipe.seed ?? '');
  hiddenInput.value = (recipe.model?.hidden ?? []).join(', ');
  validateRecipe();
}

function validateRecipe(): boolean {
  try {
    parseRecipe(recipe, registry, 'recipe');
    recipeError.textContent = '';
    return true;
  } catch (error) {
    recipeError.textContent = error instanceof Error ? error.message : String(error);
    return false;
  }
}

for (const id of registry.ids('objective')) methodSelect.add(new Option(id, id));
methodSelect.addEventListener('change', () => {
  recipe = { ...recipe, method: methodSelect.value, options: defaultOptions(methodSelect.value) };
  showRecipe();
});
const numberField = (input: HTMLInputElement, apply: (value: number | undefined) => void) =>
  input.addEventListener('change', () => {
    apply(input.value === '' ? undefined : Number(input.value));
    showRecipe();
  });
numberField(numberInputs.steps, (v) => (recipe = { ...recipe, steps: v }));
numberField(numberInputs.batchSize, (v) => (recipe = { ...recipe, batchSize: v }));
numberField(numberInputs.seed, (v) => (recipe = { ...recipe, seed: v }));
numberField(numberInputs.lr, (v) => (recipe = { ...recipe, optimizer: { ...recipe.optimizer, lr: v } as RecipeInput['optimizer'] }));
hiddenInput.addEventListener('change', () => {
  const widths = hiddenInput.value.split(/[\s,]+/).filter(Boolean).map(Number);
  recipe = { ...recipe, model: { ...recipe.model, hidden: widths } };
  showRecipe();
});
recipeText.addEventListener('input', () => {
  let value: unknown;
  try {
    value = JSON.parse(recipeText.value);
  } catch (error) {
    recipeError.textContent = `recipe: not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    recipeError.textContent = 'recipe: expected a JSON object';
    return;
  }
  const candidate = value as RecipeInput;
  if (typeof candidate.method !== 'string' || !registry.has('objective', candidate.method)) {
    recipeError.textContent = `recipe.method: expected one of ${registry.ids('objective').join(', ')}, got ${JSON.stringify(candidate.method)}`;
    return;
  }
  recipe = candidate;
  showRecipe({ text: false });
});

// ---- data ----

function setData(table: PointTable, held: PointTable | undefined, fit: boolean): void {
  data = table;
  reference = held;
  layers = {};
  if (fit && table.rows > 0) plot.fit(table.values);
  $<HTMLParagraphElement>('data-info').textContent = `${table.rows} points${held ? `, ${held.rows} held out for comparison` : ''}`;
  redraw();
}

function chooseSource(): void {
  const source = sourceSelect.value;
  $<HTMLDivElement>('draw-tools').hidden = source !== 'draw';
  $<HTMLDivElement>('upload-tools').hidden = source !== 'upload';
  if (source === 'draw') {
    setData(drawn.table(), undefined, false);
  } else if (source === 'upload') {
    setData({ rows: 0, cols: 2, values: new Float32Array(0) }, undefined, false);
  } else {
    const { data: table, reference: held } = datasetPoints(source);
    setData(table, held, true);
  }
}

sourceSelect.addEventListener('change', chooseSource);
$<HTMLButtonElement>('clear-points').addEventListener('click', () => {
  drawn.clear();
  setData(drawn.table(), undefined, false);
});
$<HTMLInputElement>('upload').addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    setData(decodeUpload(new Uint8Array(await file.arrayBuffer()), file.name), undefined, true);
  } catch (error) {
    $<HTMLParagraphElement>('data-info').textContent = error instanceof Error ? error.message : String(error);
  }
});
let drawing = false;
pointsCanvas.addEventListener('pointerdown', (event) => {
  if (sourceSelect.value !== 'draw') return;
  drawing = true;
  pointsCanvas.setPointerCapture(event.pointerId);
  addDrawn(event);
});
pointsCanvas.addEventListener('pointermove', (event) => {
  if (drawing) addDrawn(event);
});
pointsCanvas.addEventListener('pointerup', () => {
  drawing = false;
});
function addDrawn(event: PointerEvent): void {
  const [x, y] = plot.toData(event);
  drawn.add(x, y, plot.scale * 0.02);
  setData(drawn.table(), undefined, false);
}

// ---- training ----

let losses: number[] = [];
let totalSteps = 0;
let trainedText = '';

trainButton.addEventListener('click', () => {
  if (!validateRecipe()) {
    fail(recipeError.textContent ?? 'bad recipe');
    return;
  }
  if (data.rows < 2) {
    fail(sourceSelect.value === 'draw' ? 'draw some points first' : 'choose data first');
    return;
  }
  const parsed = parseRecipe(recipe, registry, 'recipe');
  losses = [];
  totalSteps = parsed.steps;
  snapshot.losses = losses;
  snapshot.steps = totalSteps;
  snapshot.comparison = [];
  $<HTMLTableSectionElement>('comparison').querySelector('tbody')!.replaceChildren();
  layers = {};
  redraw();
  drawLossChart(lossCanvas, losses, totalSteps);
  setState('training', `starting ${recipe.method} on ${backendSelect.value}…`);
  send({ type: 'train', recipe, data, ...(reference ? { reference } : {}), backend: backendSelect.value as BackendId });
});
stopButton.addEventListener('click', () => send({ type: 'stop' }));
compareButton.addEventListener('click', () => {
  compareButton.disabled = true;
  statusEl.textContent = `${trainedText} · comparing samplers…`;
  send({ type: 'compare' });
});
modelButton.addEventListener('click', () => send({ type: 'export-model' }));
samplesButton.addEventListener('click', () => send({ type: 'export-samples', n: 1000 }));

worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'backend':
      snapshot.backend = m.backend;
      break;
    case 'progress': {
      losses.push(...m.losses);
      const last = m.losses[m.losses.length - 1];
      if (m.stepsPerSecond > 0) {
        statusEl.textContent = `step ${m.step} / ${m.steps} · loss ${last?.toPrecision(4)} · ${m.stepsPerSecond.toFixed(1)} steps/s on ${snapshot.backend}`;
      }
      if (m.samples) layers.samples = m.samples;
      if (m.trajectories) layers.trajectories = m.trajectories;
      drawLossChart(lossCanvas, losses, totalSteps);
      redraw();
      break;
    }
    case 'done': {
      const verb = m.status === 'completed' ? 'trained' : m.status === 'aborted' ? 'stopped' : 'diverged';
      trainedText = `${verb}: ${m.steps} steps in ${m.seconds.toFixed(1)} s on ${snapshot.backend} · NFE ${m.nfe}${m.message ? ` · ${m.message}` : ''}`;
      setState('done', trainedText);
      break;
    }
    case 'comparison': {
      snapshot.comparison = m.rows;
      const body = $<HTMLTableSectionElement>('comparison').querySelector('tbody')!;
      const row = (cells: string[]) => {
        const tr = document.createElement('tr');
        for (const c of cells) tr.append(Object.assign(document.createElement('td'), { textContent: c }));
        body.append(tr);
      };
      body.replaceChildren();
      for (const r of m.rows) row([r.label, String(r.nfe), r.msPer1000.toFixed(1), r.energy.toPrecision(3)]);
      if (m.floor !== undefined) row(['training data itself', '—', '—', m.floor.toPrecision(3)]);
      compareButton.disabled = false;
      statusEl.textContent = `${trainedText} · samplers compared`;
      break;
    }
    case 'model-file':
      download(m.json, m.fileName, 'application/json');
      break;
    case 'samples-file':
      download(m.csv, m.fileName, 'text/csv');
      break;
    case 'error':
      fail(m.message);
      break;
  }
});
worker.addEventListener('error', (event) => fail(`worker: ${event.message}`));

// ---- start ----

async function start(): Promise<void> {
  // The page itself only samples the data sets, on the cpu backend; training is in the worker.
  await cpu().init();
  for (const id of planeDatasets(registry)) sourceSelect.add(new Option(id, id));
  sourceSelect.add(new Option('draw with the mouse', 'draw'));
  sourceSelect.add(new Option('upload a file', 'upload'));
  sourceSelect.value = 'moons';
  chooseSource();
  recipe = { ...recipe, options: defaultOptions(recipe.method) };
  showRecipe();
  drawLossChart(lossCanvas, losses, recipe.steps ?? 0);
  setState('idle', 'ready: choose data and a method, then Train');
}

start().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
addEventListener('resize', () => {
  redraw();
  drawLossChart(lossCanvas, losses, totalSteps);
});
