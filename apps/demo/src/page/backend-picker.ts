// The backend choice: WebGPU is offered only where the page sees `navigator.gpu` (Chromium-based
// browsers on secure pages); elsewhere its option is disabled and the reason is shown under it.
// Whether an adapter exists is only known once the worker tries it: a refusal there falls back to
// wasm and its reason is shown the same way (showBackendNotice).
import type { DemoState } from './demo-state.js';
import type { PageView } from './page-view.js';

/** Why this page cannot use WebGPU, or undefined when `navigator.gpu` exists. */
export function webgpuUnavailableReason(scope: { isSecureContext?: boolean; navigator?: unknown } = globalThis): string | undefined {
  const gpu = (scope.navigator as { gpu?: unknown } | undefined)?.gpu;
  if (gpu !== undefined && gpu !== null) return undefined;
  if (scope.isSecureContext === false) return 'WebGPU needs a secure page (https:// or http://localhost); this one is not';
  return 'this browser has no WebGPU (navigator.gpu is missing; Chromium-based browsers have it)';
}

/** Shows `text` under the backend choice and records it in the snapshot. */
export function showBackendNotice(state: DemoState, view: PageView, text: string): void {
  state.snapshot.backendNotice = text;
  view.backendInfo.textContent = text;
  view.backendInfo.hidden = false;
}

/** Hides the notice (WebGPU runs after all). */
export function hideBackendNotice(state: DemoState, view: PageView): void {
  state.snapshot.backendNotice = undefined;
  view.backendInfo.textContent = '';
  view.backendInfo.hidden = true;
}

/** Disables the webgpu option, with the reason, where the page has no `navigator.gpu`. */
export function bindBackendPicker(state: DemoState, view: PageView): void {
  const reason = webgpuUnavailableReason();
  const option = [...view.backendSelect.options].find((o) => o.value === 'webgpu');
  if (reason === undefined || !option) return;
  option.disabled = true;
  option.textContent = 'webgpu (not available)';
  option.title = reason;
  if (view.backendSelect.value === 'webgpu') view.backendSelect.value = 'wasm';
  showBackendNotice(state, view, `WebGPU: ${reason}.`);
}
