// Bijector specs: unknown types, bad nested options, dimension mismatches and runaway nesting are
// rejected by the registry with the path of the field; ActNorm's data initialisation survives a
// save/load through its spec.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { corePlugin, createRegistry, createRng } from '@pfm/core';
import { likelihoodPlugin } from '../plugin/likelihood-plugin.js';
import { bijectorIds, chainFromOptions, MAX_CHAIN_DEPTH } from './bijector-entries.js';
import { actNorm } from './act-norm.js';

const registry = createRegistry({ plugins: [corePlugin, likelihoodPlugin] });

describe('bijector map entries', () => {
  it('registers every bijector under a kebab-case id', () => {
    const ids = registry.ids('map');
    for (const id of bijectorIds()) expect(ids).toContain(id);
    expect(bijectorIds()).toEqual(
      ['act-norm', 'additive-coupling', 'affine-coupling', 'chain', 'elementwise-affine', 'logit', 'lu-linear', 'permutation', 'sigmoid', 'spline-coupling'],
    );
  });

  it('a chain naming an unknown bijector fails with the list of known ones', () => {
    expect(() => registry.parseOptions('map', 'chain', { dim: 2, layers: [{ type: 'mlp', options: {} }] })).toThrow(
      /layers\.0\.type: unknown bijector "mlp"; known bijectors: act-norm, additive-coupling/,
    );
  });

  it('bad options of a nested layer are reported with their full path', () => {
    const nested = { dim: 2, layers: [{ type: 'chain', options: { dim: 2, layers: [{ type: 'spline-coupling', options: { dim: 2, bins: 1 } }] } }] };
    expect(() => registry.parseOptions('map', 'chain', nested)).toThrow(/layers\.0\.options\.layers\.0\.options\.bins/);
  });

  it('layers of another dimension are rejected', () => {
    expect(() =>
      registry.parseOptions('map', 'chain', { dim: 2, layers: [{ type: 'permutation', options: { dim: 3 } }] }),
    ).toThrow(/layers\.0\.options\.dim: is 3, expected 2/);
  });

  it(`nesting deeper than ${MAX_CHAIN_DEPTH} chains is rejected`, () => {
    let spec: { type: string; options: Record<string, unknown> } = { type: 'permutation', options: { dim: 2 } };
    for (let i = 0; i < MAX_CHAIN_DEPTH + 1; i++) spec = { type: 'chain', options: { dim: 2, layers: [spec] } };
    expect(() => registry.parseOptions('map', 'chain', spec.options)).toThrow(/nested 9 deep; at most 8/);
  });

  it('a chain holds its parts\' options with defaults filled in', () => {
    const c = chainFromOptions({ dim: 2, layers: [{ type: 'affine-coupling', options: { dim: 2 } }] }, createRng(0));
    const layer = (c.toSpec().options.layers as { options: Record<string, unknown> }[])[0]!;
    expect(layer.options).toMatchObject({ dim: 2, mask: 'odd', hidden: [32, 32], clamp: 3, activation: 'silu' });
    c.dispose();
  });
});

describe('act-norm', () => {
  it('initialize(x) standardises x: ψ⁻¹(x) has mean 0 and variance 1 per coordinate', () => {
    const x = tf.tidy(() => tf.add(tf.mul(createRng(1).normal([500, 3]), tf.tensor1d([0.5, 2, 7])), tf.tensor1d([1, -3, 10])) as tf.Tensor2D);
    const a = actNorm({ dim: 3 });
    a.initialize(x);
    const [zOut, ld] = a.inverseAndLogDet(x);
    const { mean, variance } = tf.moments(zOut, 0);
    for (const m of mean.dataSync()) expect(Math.abs(m)).toBeLessThan(1e-4);
    for (const v of variance.dataSync()) expect(Math.abs(v - 1)).toBeLessThan(1e-3);
    // log|det Dψ⁻¹| = −Σ log std, the same for every row.
    const stds = tf.tidy(() => tf.sqrt(tf.moments(x, 0).variance).arraySync() as number[]);
    expect(ld.dataSync()[0]).toBeCloseTo(-stds.reduce((s, v) => s + Math.log(v), 0), 4);
    expect(a.toSpec().options.initialized).toBe(true);
    tf.dispose([x, zOut, ld, mean, variance]);
    a.dispose();
  });

  it('is initialised on its first inverse call, but not re-initialised after a reload', () => {
    const x = tf.tidy(() => tf.add(tf.mul(createRng(2).normal([200, 2]), 3), 5) as tf.Tensor2D);
    const a = actNorm({ dim: 2 });
    expect(a.initialized).toBe(false);
    tf.dispose(a.inverseAndLogDet(x));
    expect(a.initialized).toBe(true);
    const reloaded = actNorm(a.toSpec().options as { dim: number; initialized: boolean });
    expect(reloaded.initialized).toBe(true);
    reloaded.variables.forEach((v, i) => v.assign(a.variables[i]!));
    const other = tf.tidy(() => tf.mul(x, 2) as tf.Tensor2D);
    const [z1, ld1] = a.inverseAndLogDet(other);
    const [z2, ld2] = reloaded.inverseAndLogDet(other);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(z1, z2))).dataSync()[0])).toBe(0);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(ld1, ld2))).dataSync()[0])).toBe(0);
    tf.dispose([x, other, z1, z2, ld1, ld2]);
    a.dispose();
    reloaded.dispose();
  });
});
