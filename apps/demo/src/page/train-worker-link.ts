// The page talks to the training worker by messages only: it sends train/stop/compare/export
// requests and shows what comes back (progress, the end of a run, comparisons, files, errors).
import { download } from '../ui/download.js';
import type { FromWorker, ToWorker } from '../protocol.js';
import { conditionChoice, showClassPicker } from './class-picker.js';
import type { DemoState } from './demo-state.js';
import type { PageView } from './page-view.js';
import { hideBackendNotice, showBackendNotice } from './backend-picker.js';

/** Sends a request to the training worker. */
export type SendToWorker = (message: ToWorker) => void;

/** Starts the training worker and shows its messages on the page; returns how to send it requests. */
export function connectTrainWorker(state: DemoState, view: PageView): SendToWorker {
  const worker = new Worker(new URL('../worker/train-worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    showWorkerMessage(state, view, m);
    // A conditional model on show: draw the picker's choice (every class at first).
    if ((m.type === 'done' || m.type === 'loaded') && m.condition !== undefined) worker.postMessage({ type: 'sample-condition', choice: conditionChoice(view) } satisfies ToWorker);
  });
  worker.addEventListener('error', (event) => view.fail(`worker: ${event.message}`));
  return (message) => worker.postMessage(message);
}

/** Updates the state and the page for one message of the worker. */
export function showWorkerMessage(state: DemoState, view: PageView, m: FromWorker): void {
  const { snapshot } = state;
  switch (m.type) {
    case 'backend':
      snapshot.backend = m.backend;
      if (m.fallback !== undefined) showBackendNotice(state, view, `WebGPU could not start, running on ${m.backend} instead: ${m.fallback}`);
      else if (m.backend === 'webgpu') hideBackendNotice(state, view);
      break;
    case 'progress': {
      state.losses.push(...m.losses);
      const last = m.losses[m.losses.length - 1];
      if (m.stepsPerSecond > 0) {
        view.status.textContent = `step ${m.step} / ${m.steps} · loss ${last?.toPrecision(4)} · ${m.stepsPerSecond.toFixed(1)} steps/s on ${snapshot.backend}`;
      }
      if (m.samples) state.layers.samples = m.samples;
      if (m.trajectories) state.layers.trajectories = m.trajectories;
      view.drawLoss();
      view.redraw();
      break;
    }
    case 'done': {
      const verb = m.status === 'completed' ? 'trained' : m.status === 'aborted' ? 'stopped' : 'diverged';
      state.trainedText = `${verb}: ${m.steps} steps in ${m.seconds.toFixed(1)} s on ${snapshot.backend} · NFE ${m.nfe}${m.message ? ` · ${m.message}` : ''}`;
      view.setState('done', state.trainedText);
      showClassPicker(state, view, m.condition);
      break;
    }
    case 'loaded': {
      const shape = m.eventShape ? `, images ${m.eventShape.join('×')}` : `, dim ${m.dim}`;
      snapshot.loaded = { method: m.method, dim: m.dim, eventShape: m.eventShape, nfe: m.nfe, sampleMs: m.sampleMs, count: m.count };
      snapshot.comparison = [];
      view.comparisonBody.replaceChildren();
      state.losses = [];
      snapshot.losses = state.losses;
      state.totalSteps = 0;
      state.eventShape = m.eventShape;
      state.layers = { samples: m.samples };
      state.trainedText = `loaded ${m.method}${shape} · NFE ${m.nfe} · ${m.count} samples in ${m.sampleMs.toFixed(0)} ms on ${snapshot.backend}`;
      view.setState('done', state.trainedText);
      showClassPicker(state, view, m.condition);
      view.drawLoss();
      view.redraw();
      break;
    }
    case 'condition-samples': {
      state.layers = { samples: m.samples };
      state.sampleGrid = m.columns !== undefined ? { count: m.count, columns: m.columns } : undefined;
      snapshot.sampled = { ...m.choice, count: m.count, nfe: m.nfe };
      const which = m.choice.class === 'all' ? 'every class' : `class ${m.choice.class}`;
      const guided = snapshot.condition?.guided ? `, guidance ${m.choice.guidance}` : '';
      view.status.textContent = `${state.trainedText} · ${m.count} samples of ${which}${guided} (NFE ${m.nfe})`;
      view.redraw();
      break;
    }
    case 'comparison': {
      snapshot.comparison = m.rows;
      view.showComparison(m.rows, m.floor);
      view.compareButton.disabled = false;
      view.status.textContent = `${state.trainedText} · samplers compared`;
      break;
    }
    case 'model-file':
      download(m.json, m.fileName, 'application/json');
      break;
    case 'samples-file':
      download(m.content, m.fileName, m.mimeType);
      break;
    case 'error':
      view.fail(m.message);
      break;
  }
}
