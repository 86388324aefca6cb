// `pnpm tour`: trains one model per family on moons, the GAN with and without the curriculum on the 5×5 grid, and one image model on MNIST with the wasm
// backend and writes ./tour-output/{index.html, report.md, results.json, *.svg, mnist-samples.png}.
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
  curriculumSteps: Math.max(8, Math.round(400 * scale)),
  mnistSteps: Math.max(5, Math.round(300 * scale)),
  metrics: [
    { id: 'energy', label: 'energy distance' },
    { id: 'wasserstein', label: 'W2 (exact OT)', options: { p: 2 } },
  ],
  onStopStart: (i, stop) => {
    bar = progressBar(`[${i + 1}/${stops.length + 2}] ${stop.title}`.padEnd(48));
  },
  onProgress: (_i, step, steps, loss, eta) => bar.update(step, steps, `loss ${loss.toFixed(4)} ETA ${eta.toFixed(0)}s`),
});
for (const r of results) {
  const line = r.status === 'trained'
    ? `${r.family}: ${r.title}: ${r.steps} steps in ${r.trainSeconds!.toFixed(1)} s, ${Object.entries(r.metrics ?? {}).map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(', ')}`
    : `${r.family}: ${r.title}: ${r.status} (${r.message})`;
  bar.done(line);
}
const { mnist, curriculum } = results;
if (curriculum) {
  bar.done(`flows → one step: ${curriculum.title}: ${curriculum.sides.map((s) => `${s.variant} ${s.modesReached}/25 modes, energy ${s.energyDistance.toPrecision(3)}`).join('; ')}`);
}
if (mnist) {
  bar.done(`images (MNIST): ${mnist.title}: ${mnist.steps} steps in ${mnist.trainSeconds.toFixed(1)} s, FLD ${mnist.fld.toPrecision(3)} (training digits: ${mnist.fldFloor.toPrecision(3)})`);
  process.stderr.write(`mnist sample grid: ${resolve(outDir, mnist.grid)}\n`);
}
process.stderr.write(`report: ${resolve(outDir, 'index.html')}\n`);
