import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, createRng, OptionsError, RegistryError } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { datasetsPlugin } from './datasets-plugin.js';
import { draw } from '../test-support/statistics.js';

const IDS_2D = ['moons', '8gaussians', 'checkerboard', 'pinwheel', '2spirals', 'swissroll', 'circles', 'rings', 'scurve'];
const IDS_1D = ['gaussian-1d', 'uniform-1d', 'two-intervals'];
const WITH_DENSITY = ['8gaussians', 'checkerboard', 'circles', 'rings', 'gaussian-1d', 'uniform-1d', 'two-intervals'];

// One bad option per data set, and the field the error must name.
const BAD: [string, unknown, RegExp][] = [
  ['moons', { noise: -1 }, /options\.noise/],
  ['moons', { variant: 'sklearn' }, /options\.variant/],
  ['8gaussians', { std: 0 }, /options\.std/],
  ['checkerboard', { scale: 'big' }, /options\.scale/],
  ['pinwheel', { arms: 2.5 }, /options\.arms/],
  ['2spirals', { degrees: -1 }, /options\.degrees/],
  ['swissroll', { noise: -0.1 }, /options\.noise/],
  ['circles', { factor: 1.5 }, /options\.factor/],
  ['rings', { count: 0 }, /options\.count/],
  ['scurve', { scale: 0 }, /options\.scale/],
  ['gaussian-1d', { std: -1 }, /options\.std/],
  ['uniform-1d', { low: 1, high: 0 }, /options\.high/],
  ['two-intervals', { width: 1 }, /width/],
];

describe('datasetsPlugin', () => {
  const registry = createRegistry({ plugins: [datasetsPlugin] });

  it('registers exactly the 12 documented kebab-case dataset ids', () => {
    expect(datasetsPlugin.name).toBe('@pfm/datasets');
    expect(registry.ids('dataset')).toEqual([...IDS_2D, ...IDS_1D].sort());
    for (const id of registry.ids('dataset')) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    // Listing builds a JSON schema with the defaults for every entry.
    const listed = registry.list('dataset');
    expect(listed).toHaveLength(12);
    const pinwheel = listed.find((e) => e.id === 'pinwheel')!.options as { properties: Record<string, { default?: unknown }> };
    expect(pinwheel.properties.arms!.default).toBe(5);
  });

  it('builds every entry from {} with the right dimension, and a density exactly where one is documented', () => {
    for (const id of [...IDS_2D, ...IDS_1D]) {
      const m = registry.get('dataset', id).create(registry.parseOptions('dataset', id, {}));
      expect(m.dim, id).toBe(IDS_1D.includes(id) ? 1 : 2);
      expect(typeof m.logProb === 'function', id).toBe(WITH_DENSITY.includes(id));
    }
  });

  it('is deterministic: same seed, same points; another seed, other points; shape [n, dim]', () => {
    for (const id of [...IDS_2D, ...IDS_1D]) {
      const m = registry.get('dataset', id).create(registry.parseOptions('dataset', id, {}));
      const a = draw(m, 257, 7);
      const b = draw(m, 257, 7);
      const c = draw(m, 257, 8);
      expect(a.length, id).toBe(257 * m.dim);
      expect(Array.from(a), id).toEqual(Array.from(b));
      expect(Array.from(a), id).not.toEqual(Array.from(c));
      expect(a.every(Number.isFinite), id).toBe(true);
      // Two draws from one stream differ (the stream advances).
      const rng = createRng(7);
      const first = m.sample(16, rng);
      const second = m.sample(16, rng);
      expect(Array.from(first.dataSync()), id).not.toEqual(Array.from(second.dataSync()));
      tf.dispose([first, second]);
    }
  });

  it('samples 0 points as [0, dim] and rejects a bad count or a bad logProb input', () => {
    const m = registry.get('dataset', 'moons').create(registry.parseOptions('dataset', 'moons', {}));
    const empty = m.sample(0, createRng(1));
    expect(empty.shape).toEqual([0, 2]);
    empty.dispose();
    expect(() => m.sample(-1, createRng(1))).toThrow(/moons: sample count n must be a non-negative integer, got -1/);
    expect(() => m.sample(2.5, createRng(1))).toThrow(/got 2\.5/);
    const g = registry.get('dataset', '8gaussians').create(registry.parseOptions('dataset', '8gaussians', {}));
    const wrong = tf.zeros([3, 1]) as tf.Tensor2D;
    expect(() => g.logProb!(wrong)).toThrow(/8gaussians: logProb expects points of shape \[n, 2\], got \[3, 1\]/);
    wrong.dispose();
  });

  it('rejects bad options with a message naming the data set and the field', () => {
    for (const [id, options, field] of BAD) {
      let error: unknown;
      try {
        registry.parseOptions('dataset', id, options);
      } catch (e) {
        error = e;
      }
      expect(error, id).toBeInstanceOf(OptionsError);
      expect((error as Error).message, id).toContain(`dataset "${id}"`);
      expect((error as Error).message, id).toMatch(field);
    }
  });

  it('an unknown id lists the known ones', () => {
    expect(() => registry.get('dataset', 'moon')).toThrow(RegistryError);
    expect(() => registry.get('dataset', 'moon')).toThrow(/known dataset ids: .*moons/);
  });
});
