// The speed suite's page for headless Chromium (bundled by browser-speed.ts): starts
// @pfm/backend-webgpu and exposes globalThis.__pfmBrowserSpeed(settings), which runs the same
// cases as the Node workers (runSpeedCases) on webgpu and returns the adapter with the timings.
import * as tf from '@tensorflow/tfjs-core';
import { webgpu } from '@pfm/backend-webgpu';
import type { BrowserSpeedOutput } from './browser-speed.js';
import { runSpeedCases, type SpeedSettings } from './speed-cases.js';

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

async function adapter(): Promise<BrowserSpeedOutput['adapter']> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfoLike } | null> } }).gpu;
  const found = await gpu?.requestAdapter();
  const info = found?.info ?? {};
  return { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
}

async function run(settings: SpeedSettings): Promise<BrowserSpeedOutput> {
  const info = await adapter();
  await webgpu().init();
  await tf.ready();
  const results = await runSpeedCases(settings, (label) => console.log(`webgpu: ${label}`));
  return { adapter: info, userAgent: navigator.userAgent, tfBackend: tf.getBackend(), results };
}

Object.assign(globalThis, { __pfmBrowserSpeed: run });
