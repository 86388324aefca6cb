// The training buttons: Train checks the recipe and the data, resets the run's display and asks
// the worker to train; Stop, Compare and the downloads are requests to the worker, except the
// grid of images, which is the page's own picture.
import { parseRecipe, type Registry } from '@pfm/core';
import type { BackendId } from '../protocol.js';
import { download } from '../ui/download.js';
import { showClassPicker } from './class-picker.js';
import type { DemoState } from './demo-state.js';
import type { PageView } from './page-view.js';
import type { RecipeEditor } from './recipe-editor.js';
import type { SendToWorker } from './train-worker-link.js';

/** Wires the Train, Stop, Compare and download buttons. */
export function bindTrainingControls(state: DemoState, view: PageView, registry: Registry, editor: RecipeEditor, send: SendToWorker): void {
  view.trainButton.addEventListener('click', () => {
    if (!editor.validate()) {
      view.fail(view.recipeError.textContent ?? 'bad recipe');
      return;
    }
    if (state.data.rows < 2) {
      view.fail(view.sourceSelect.value === 'draw' ? 'draw some points first' : 'choose data first');
      return;
    }
    const parsed = parseRecipe(state.recipe, registry, 'recipe');
    state.losses = [];
    state.totalSteps = parsed.steps;
    state.snapshot.losses = state.losses;
    state.snapshot.steps = state.totalSteps;
    state.snapshot.comparison = [];
    view.comparisonBody.replaceChildren();
    state.layers = {};
    showClassPicker(state, view, undefined);
    view.redraw();
    view.drawLoss();
    view.setState('training', `starting ${state.recipe.method} on ${view.backendSelect.value}…`);
    const conditional = view.conditionalCheckbox.checked && state.data.labels !== undefined;
    send({
      type: 'train',
      recipe: state.recipe,
      data: state.data,
      ...(state.reference ? { reference: state.reference } : {}),
      backend: view.backendSelect.value as BackendId,
      ...(conditional ? { conditional } : {}),
    });
  });
  view.stopButton.addEventListener('click', () => send({ type: 'stop' }));
  view.compareButton.addEventListener('click', () => {
    view.compareButton.disabled = true;
    view.status.textContent = `${state.trainedText} · comparing samplers…`;
    send({ type: 'compare' });
  });
  view.modelButton.addEventListener('click', () => send({ type: 'export-model' }));
  view.samplesButton.addEventListener('click', () => send({ type: 'export-samples', n: 1000 }));
  view.gridButton.addEventListener('click', async () => {
    const png = await view.gridPng();
    if (png) download(png, state.snapshot.grid?.source === 'data' ? 'data-grid.png' : 'samples-grid.png', 'image/png');
  });
}
