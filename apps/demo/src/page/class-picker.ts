// The class picker of a conditional model: sample one chosen class, or every class (images: a grid
// row per class), with a classifier-free guidance slider for flows trained with condition dropout.
// Shown when a model trained here or loaded from a file is conditional; each change asks the
// worker for the samples of the choice, which compare and the downloads then use too.
import type { ConditionChoice, ModelCondition } from '../protocol.js';
import type { DemoState } from './demo-state.js';
import type { PageView } from './page-view.js';
import type { SendToWorker } from './train-worker-link.js';

/** The picker's current choice: the selected class ('all' for every class) and the guidance scale. */
export function conditionChoice(view: PageView): ConditionChoice {
  const value = view.classSelect.value;
  return { class: value === 'all' || value === '' ? 'all' : Number(value), guidance: Number(view.guidanceInput.value) };
}

/**
 * Shows the picker for a model conditioned as `condition` (hides it for an unconditional model,
 * or undefined while there is no model): the classes to choose from, and the guidance slider,
 * enabled only where guidance is defined. A new model starts at every class and w = 1.
 */
export function showClassPicker(state: DemoState, view: PageView, condition: ModelCondition | undefined): void {
  state.snapshot.condition = condition;
  state.snapshot.sampled = undefined;
  state.sampleGrid = undefined;
  view.classPicker.hidden = condition === undefined;
  if (condition === undefined) return;
  const select = view.classSelect;
  select.replaceChildren();
  if (condition.classes !== undefined) {
    select.add(new Option('every class (a row each)', 'all'));
    for (let k = 0; k < condition.classes; k++) select.add(new Option(`class ${k}`, String(k)));
    select.disabled = false;
  } else {
    select.add(new Option(`the zero context (dimension ${condition.contextDim})`, 'all'));
    select.disabled = true;
  }
  select.value = 'all';
  view.guidanceInput.value = '1';
  view.guidanceValue.textContent = '1';
  view.guidanceInput.disabled = !condition.guided;
  const what = condition.classes !== undefined ? `${condition.classes} classes` : `a context of dimension ${condition.contextDim}`;
  view.classPickerInfo.textContent = condition.guided
    ? `conditioned on ${what}; guidance w: 0 unconditional, 1 conditional, above 1 stronger`
    : `conditioned on ${what}; trained without condition dropout, so guidance stays at 1`;
}

/** Wires the class list and the guidance slider: each choice is sampled by the worker. */
export function bindClassPicker(state: DemoState, view: PageView, send: SendToWorker): void {
  const request = () => {
    if (state.snapshot.condition === undefined || state.snapshot.state !== 'done') return;
    send({ type: 'sample-condition', choice: conditionChoice(view) });
  };
  view.classSelect.addEventListener('change', request);
  view.guidanceInput.addEventListener('input', () => {
    view.guidanceValue.textContent = view.guidanceInput.value;
  });
  view.guidanceInput.addEventListener('change', request);
}
