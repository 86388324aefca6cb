// "Load a model file": the chosen file's text goes to the worker, which rebuilds the model (the
// same checks as `pfm sample`), draws its first samples and makes it the current model.
import type { BackendId } from '../protocol.js';
import type { DemoState } from './demo-state.js';
import type { PageView } from './page-view.js';
import type { SendToWorker } from './train-worker-link.js';

/** Wires the model file input: a chosen file is loaded in the worker on the selected backend. */
export function bindModelLoader(state: DemoState, view: PageView, send: SendToWorker): void {
  view.modelInput.addEventListener('change', async (event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    let json: string;
    try {
      json = await file.text();
    } catch (error) {
      view.fail(`${file.name}: cannot read the file (${error instanceof Error ? error.message : String(error)})`);
      return;
    } finally {
      // The same file chosen again loads again.
      input.value = '';
    }
    view.setState('loading', `loading ${file.name} on ${view.backendSelect.value}…`);
    send({
      type: 'load-model',
      json,
      fileName: file.name,
      data: state.data,
      ...(state.reference ? { reference: state.reference } : {}),
      backend: view.backendSelect.value as BackendId,
    });
  });
}
