// The recipe is one object shown twice: as controls (method, options form, number fields) and as
// JSON text. An edit on either side replaces the object and both sides are shown again.
import { parseRecipe, type RecipeInput, type Registry } from '@pfm/core';
import { renderOptionsForm, withOption } from '../ui/options-form.js';
import type { DemoState } from './demo-state.js';
import type { PageView } from './page-view.js';

/** What the rest of the page asks of the recipe editor. */
export interface RecipeEditor {
  /** Shows `state.recipe` in the controls (and as JSON unless `text: false`) and checks it. */
  show(options?: { text?: boolean }): void;
  /** Checks the recipe against the registry; shows the error and returns false if it is bad. */
  validate(): boolean;
  /** The method's options with every default filled in; `{}` if some option is required (the recipe check then names it). */
  defaultOptions(method: string): Record<string, unknown>;
}

/** Fills the method list and wires the recipe controls and the JSON text to `state.recipe`. */
export function bindRecipeEditor(state: DemoState, view: PageView, registry: Registry): RecipeEditor {
  const defaultOptions = (method: string): Record<string, unknown> => {
    try {
      return JSON.parse(JSON.stringify(registry.parseOptions('objective', method, {}))) as Record<string, unknown>;
    } catch {
      return {};
    }
  };

  const validate = (): boolean => {
    try {
      parseRecipe(state.recipe, registry, 'recipe');
      view.recipeError.textContent = '';
      return true;
    } catch (error) {
      view.recipeError.textContent = error instanceof Error ? error.message : String(error);
      return false;
    }
  };

  const show = (options: { text?: boolean } = {}): void => {
    const recipe = state.recipe;
    if (options.text !== false) view.recipeText.value = JSON.stringify(recipe, null, 2);
    view.methodSelect.value = recipe.method;
    const info = registry.list('objective').find((e) => e.id === recipe.method);
    view.methodDescription.textContent = info?.description ?? '';
    renderOptionsForm(view.optionsForm, info?.options ?? {}, recipe.options ?? {}, (path, value) => {
      state.recipe = { ...state.recipe, options: withOption(state.recipe.options ?? {}, path, value) };
      show();
    });
    view.numberInputs.steps.value = String(recipe.steps ?? '');
    view.numberInputs.batchSize.value = String(recipe.batchSize ?? '');
    view.numberInputs.lr.value = String(recipe.optimizer?.lr ?? '');
    view.numberInputs.seed.value = String(recipe.seed ?? '');
    view.hiddenInput.value = (recipe.model?.hidden ?? []).join(', ');
    validate();
  };

  for (const id of registry.ids('objective')) view.methodSelect.add(new Option(id, id));
  view.methodSelect.addEventListener('change', () => {
    state.recipe = { ...state.recipe, method: view.methodSelect.value, options: defaultOptions(view.methodSelect.value) };
    show();
  });
  const numberField = (input: HTMLInputElement, apply: (value: number | undefined) => RecipeInput) =>
    input.addEventListener('change', () => {
      state.recipe = apply(input.value === '' ? undefined : Number(input.value));
      show();
    });
  const { numberInputs } = view;
  numberField(numberInputs.steps, (v) => ({ ...state.recipe, steps: v }));
  numberField(numberInputs.batchSize, (v) => ({ ...state.recipe, batchSize: v }));
  numberField(numberInputs.seed, (v) => ({ ...state.recipe, seed: v }));
  numberField(numberInputs.lr, (v) => ({ ...state.recipe, optimizer: { ...state.recipe.optimizer, lr: v } as RecipeInput['optimizer'] }));
  view.hiddenInput.addEventListener('change', () => {
    const widths = view.hiddenInput.value.split(/[\s,]+/).filter(Boolean).map(Number);
    state.recipe = { ...state.recipe, model: { ...state.recipe.model, hidden: widths } };
    show();
  });
  view.recipeText.addEventListener('input', () => {
    let value: unknown;
    try {
      value = JSON.parse(view.recipeText.value);
    } catch (error) {
      view.recipeError.textContent = `recipe: not valid JSON (${error instanceof Error ? error.message : String(error)})`;
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      view.recipeError.textContent = 'recipe: expected a JSON object';
      return;
    }
    const candidate = value as RecipeInput;
    if (typeof candidate.method !== 'string' || !registry.has('objective', candidate.method)) {
      view.recipeError.textContent = `recipe.method: expected one of ${registry.ids('objective').join(', ')}, got ${JSON.stringify(candidate.method)}`;
      return;
    }
    state.recipe = candidate;
    show({ text: false });
  });

  return { show, validate, defaultOptions };
}
