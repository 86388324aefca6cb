// `pnpm tour`: trains one model per family on moons with the wasm backend and writes
// ./tour-output/{index.html, report.md, results.json, *.svg}.
import { resolve } from 'node:path';
import { useBackend } from '@pfm/core';
import { wasm } from '@pfm/backend-wasm';
import { tourRegistry } from './registry.js';
import { runTour } from './tour.js';
import { tourStops } from './stops.js';
import { progressBar } from './progress.js';

const outDir = resolve(process.env.PFM_TOUR_OUT ?? 'tour-output');
const scale = Number(process.env.PFM_TOUR_SCALE ?? 1);
await useBackend(wasm());
const stops = tourStops(scale);
let bar = progressBar('');
const results = await runTour({
  registry: tourRegistry(),
  outDir,
  stops,
  figure1Steps: Math.max(50, Math.round(1500 * scale)),
  footnote3Steps: Math.max(60, Math.round(200 * scale)),
  metrics: [
    { id: 'energy', label: 'energy distance' },
    { id: 'wasserstein', label: 'W2 (exact OT)', options: { p: 2 } },
  ],
  onStopStart: (i, stop) => {
    bar = progressBar(`[${i + 1}/${stops.length}] ${stop.title}`.padEnd(48));
  },
  onProgress: (_i, step, steps, loss, eta) => bar.update(step, steps, `loss ${loss.toFixed(4)} ETA ${eta.toFixed(0)}s`),
});
for (const r of results) {
  const line = r.status === 'trained'
    ? `${r.family}: ${r.title}: ${r.steps} steps in ${r.trainSeconds!.toFixed(1)} s, ${Object.entries(r.metrics ?? {}).map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(', ')}`
    : `${r.family}: ${r.title}: ${r.status} (${r.message})`;
  bar.done(line);
}
process.stderr.write(`report: ${resolve(outDir, 'index.html')}\n`);
