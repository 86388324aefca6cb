import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPngFolder } from '@pfm/datasets/node';
import { describe, expect, it } from 'vitest';
import { tourRegistry } from '../src/registry.js';
import { tourStops } from '../src/stops.js';
import { runTour } from '../src/tour.js';
import { runMnistStop } from '../src/mnist-stop.js';
import { curriculumStopRecipes, gridModesReached, gridOfGaussians } from '../src/curriculum-stop.js';

describe('the tour', () => {
  it('trains every stop (a twentieth of the steps), measures it and writes the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pfm-tour-'));
    try {
      const stops = tourStops(0.05);
      const results = await runTour({
        registry: tourRegistry(),
        outDir: dir,
        stops,
        trainPoints: 1000,
        testPoints: 300,
        metrics: [{ id: 'energy', label: 'energy distance' }],
        figure1Steps: 100,
        footnote3Steps: 60,
        curriculumSteps: 24,
        mnistSteps: 4,
        mnistScoredImages: 100,
      });
      expect(results.map((r) => [r.method, r.status, r.message])).toEqual(stops.map((s) => [s.recipe.method, 'trained', undefined]));
      for (const r of results) {
        expect(Number.isFinite(r.metrics?.['energy distance']), r.title).toBe(true);
        expect(r.nfe, r.title).toBeGreaterThanOrEqual(1);
      }
      expect(results.find((r) => r.method === 'flow-matching')?.nfe).toBe(100);
      expect(results.find((r) => r.method === 'distill')?.nfe).toBe(1);
      expect(Number.isFinite(results.find((r) => r.method === 'realnvp')?.testLogLikelihood)).toBe(true);
      const files = await readdir(dir);
      expect(files).toEqual(expect.arrayContaining(['index.html', 'report.md', 'results.json', '3-flow-matching-samples.svg', '3-flow-matching-loss.svg']));
      const html = await readFile(join(dir, 'index.html'), 'utf8');
      for (const s of stops) expect(html).toContain(s.title.replace('’', '’'));
      const json = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
      expect(json.results).toHaveLength(stops.length);
      // Fig. 1 is drawn and measured (its accuracy is tested in @pfm/ipm with full training).
      expect(files).toContain('figure-1.svg');
      expect(json.figure1.steps).toBe(100);
      expect(json.figure1.maxError).toBeGreaterThanOrEqual(0);
      expect(json.figure1.maxError).toBeLessThan(1);
      // Footnote 3 is drawn; after 60 updates the max formulation is already cycling (its full
      // check, with the mean formulation's convergence, is in @pfm/ipm).
      expect(files).toContain('footnote-3.svg');
      expect(json.footnote3.steps).toBe(60);
      expect(json.footnote3.maxAmplitude).toBeGreaterThan(0.5);
      expect(json.footnote3.meanAmplitude).toBeLessThan(json.footnote3.maxAmplitude);
      expect(html).toContain('Footnote 3');
      // The curriculum stop: both sides trained for the same steps, measured and drawn side by side, with the conclusion.
      expect(results.curriculum!.sides.map((side) => [side.variant, side.steps, side.figure])).toEqual([
        ['plain', 24, 'curriculum-plain.svg'],
        ['curriculum', 24, 'curriculum-curriculum.svg'],
      ]);
      for (const side of results.curriculum!.sides) {
        expect(side.modesReached).toBeGreaterThanOrEqual(0);
        expect(side.modesReached).toBeLessThanOrEqual(25);
        expect(Number.isFinite(side.energyDistance)).toBe(true);
      }
      expect(files).toEqual(expect.arrayContaining(['curriculum-plain.svg', 'curriculum-curriculum.svg']));
      expect(html).toContain('<img src="curriculum-plain.svg" alt="GAN plain"> <img src="curriculum-curriculum.svg" alt="GAN curriculum">');
      expect(html).toContain('Negative at the measured budget');
      expect(json.curriculum.sides).toHaveLength(2);
      // The MNIST stop: a grid of 8 × 8 samples of 28 × 28 with 2-pixel gutters, named in every output.
      expect(results.mnist).toMatchObject({ method: 'energy', steps: 4, nfe: 1, grid: 'mnist-samples.png', scoredImages: 100 });
      expect(json.mnist.grid).toBe('mnist-samples.png');
      expect(html).toContain('<img src="mnist-samples.png"');
      expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('![MNIST samples](mnist-samples.png)');
      const picture = await readPngFolder(dir);
      expect(picture.shape).toEqual([8 * 28 + 9 * 2, 8 * 28 + 9 * 2, 1]);
      expect(picture.values[0]).toBeCloseTo(128 / 255, 6); // the gutter
      const tile = (k: number) => Array.from({ length: 28 * 28 }, (_, i) => picture.values[(2 + Math.floor(k / 8) * 30 + Math.floor(i / 28)) * 242 + 2 + (k % 8) * 30 + (i % 28)]!);
      expect(tile(0)).not.toEqual(tile(63)); // 64 draws, not one image repeated
      // FLD is a distance: finite and non-negative; the training digits score far below 4 steps of training.
      expect(results.mnist!.fld).toBeGreaterThan(results.mnist!.fldFloor);
      expect(results.mnist!.fldFloor).toBeGreaterThanOrEqual(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000); // trains five models: about a minute alone, several on a shared, loaded machine

  it('reports a method no plugin provides as unavailable and goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pfm-tour-'));
    try {
      const results = await runTour({
        registry: tourRegistry(),
        outDir: dir,
        stops: [{ family: 'x', title: 'missing', recipe: { method: 'no-such-method', steps: 1 } }],
        trainPoints: 100,
        testPoints: 50,
        figure1Steps: 0,
        footnote3Steps: 0,
        curriculumSteps: 0,
        mnistSteps: 0,
      });
      expect(results.mnist).toBeUndefined();
      expect(results.curriculum).toBeUndefined();
      expect(results[0]).toMatchObject({ status: 'unavailable', message: 'no plugin registers "no-such-method" yet' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('measures modes reached on the grid: all 25 for the data, 1 for a collapsed cloud', () => {
    expect(gridModesReached(gridOfGaussians(2000, 5))).toBe(25);
    expect(gridModesReached(new Float32Array(400).fill(2.3))).toBe(1);
    expect(gridModesReached(new Float32Array(400).fill(3))).toBe(0); // between modes: 1.41 from each
    expect(() => curriculumStopRecipes(4)).toThrow('curriculum stop: steps must be an integer ≥ 8 (identity steps and 4 levels), got 4');
  });

  it('refuses an FLD sample count outside 2 to 1,000, naming the field', async () => {
    await expect(runMnistStop(tourRegistry(), tmpdir(), { steps: 1, scoredImages: 1001 })).rejects.toThrow(
      'mnist stop: scoredImages must be an integer from 2 to 1000 (the test digits), got 1001',
    );
  });
});
