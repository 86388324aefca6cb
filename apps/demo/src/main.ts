// The page: data, method and recipe on the left, the live sample cloud and loss in the middle,
// sampler comparison, downloads and the recipe JSON on the right. Training runs in a worker.
// State (page/demo-state), DOM (page/page-view) and the worker link (page/train-worker-link) are
// separate; the bind* modules wire controls to them.
import './style.css';
import { cpu } from '@pfm/backend-cpu';
import { createDemoRegistry } from './registry.js';
import { DrawnPoints, planeDatasets } from './data/data-sources.js';
import { MNIST_SOURCE } from './data/mnist-subset.js';
import { createDemoState } from './page/demo-state.js';
import { PageView } from './page/page-view.js';
import { bindRecipeEditor } from './page/recipe-editor.js';
import { bindDataPicker } from './page/data-picker.js';
import { connectTrainWorker } from './page/train-worker-link.js';
import { bindTrainingControls } from './page/training-controls.js';
import { bindModelLoader } from './page/model-loader.js';
import { bindClassPicker } from './page/class-picker.js';
import { bindBackendPicker } from './page/backend-picker.js';

const state = createDemoState();
const view = new PageView(state);
const registry = createDemoRegistry();
const send = connectTrainWorker(state, view);
const editor = bindRecipeEditor(state, view, registry);
const picker = bindDataPicker(state, view, new DrawnPoints(), editor);
bindTrainingControls(state, view, registry, editor, send);
bindModelLoader(state, view, send);
bindClassPicker(state, view, send);
bindBackendPicker(state, view);

async function start(): Promise<void> {
  // The page itself only samples the data sets, on the cpu backend; training is in the worker.
  await cpu().init();
  for (const id of planeDatasets(registry)) view.sourceSelect.add(new Option(id, id));
  view.sourceSelect.add(new Option('mnist (1,000 digits, bundled)', MNIST_SOURCE));
  view.sourceSelect.add(new Option('draw with the mouse', 'draw'));
  view.sourceSelect.add(new Option('upload a file', 'upload'));
  view.sourceSelect.value = 'moons';
  picker.chooseSource();
  state.recipe = { ...state.recipe, options: editor.defaultOptions(state.recipe.method) };
  editor.show();
  view.drawLoss(state.recipe.steps ?? 0);
  view.setState('idle', 'ready: choose data and a method, then Train');
}

start().catch((error: unknown) => view.fail(error instanceof Error ? error.message : String(error)));
addEventListener('resize', () => {
  view.redraw();
  view.drawLoss();
});
