import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRng } from '../rng/rng.js';
import { corePlugin } from '../maps/core-plugin.js';
import type { PushforwardMap } from '../contracts/map.js';
import type { AnyEntry, EntryKind } from './entries.js';
import { entryRefSchema } from './entry-ref.js';
import { definePlugin } from './plugin.js';
import { createRegistry, OptionsError, RegistryError, type Registry } from './registry.js';

const scaleSchema = z.strictObject({ scale: z.number().positive().default(2) });

// A kernel entry that records what it was built with, so a test sees the parsed options.
const built: unknown[] = [];
const toyPlugin = definePlugin({
  name: 'toy',
  version: '1.0.0',
  entries: [
    {
      kind: 'kernel',
      id: 'constant',
      description: 'k(x, y) = scale',
      schema: scaleSchema,
      create: (options: z.output<typeof scaleSchema>) => {
        built.push(options);
        return { gram: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.fill([x.shape[0], y.shape[0]], options.scale) as tf.Tensor2D };
      },
    },
    {
      kind: 'discrepancy',
      id: 'sees-registry',
      description: 'checks that the registry passes itself',
      schema: z.strictObject({}),
      create: (_options: object, ctx: { registry: Registry }) => {
        const kernelIds = ctx.registry.ids('kernel');
        return () => tf.scalar(kernelIds.length);
      },
    },
  ],
});

/** A plugin with one entry of `kind` whose create returns `value`. */
function broken(kind: EntryKind, value: unknown, extra: Record<string, unknown> = {}) {
  return definePlugin({
    name: 'broken',
    version: '0.0.1',
    entries: [{ kind, id: 'bad', description: 'returns the wrong thing', schema: z.strictObject({}), create: () => value, load: () => value, ...extra } as AnyEntry],
  });
}

describe('registry.create', () => {
  it('builds an entry from an id or { id, options }, parsing the options with its schema', () => {
    const r = createRegistry({ plugins: [toyPlugin] });
    built.length = 0;
    const before = tf.memory().numTensors;
    const a = r.create('kernel', 'constant', undefined);
    const b = r.create('kernel', { id: 'constant', options: { scale: 3 } }, undefined, 'kernel');
    expect(built).toEqual([{ scale: 2 }, { scale: 3 }]);
    const x = tf.zeros([2, 1]) as tf.Tensor2D;
    const grams = [a.gram(x, x), b.gram(x, x)];
    expect(grams.map((g) => Array.from(g.dataSync()))).toEqual([[2, 2, 2, 2], [3, 3, 3, 3]]);
    const value = r.create('discrepancy', 'sees-registry')(x, x);
    expect(value.dataSync()[0]).toBe(1);
    tf.dispose([x, value, ...grams]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('passes the context through and returns what the kind builds (a core map)', () => {
    const r = createRegistry({ plugins: [corePlugin] });
    const before = tf.memory().numTensors;
    const map = r.create('map', { id: 'mlp', options: { inputDim: 2, outputDim: 3, hidden: [4] } }, { rng: createRng(0) }) as PushforwardMap;
    expect(map.outputDim).toBe(3);
    expect(map.toSpec()).toMatchObject({ type: 'mlp', options: { inputDim: 2, outputDim: 3, hidden: [4] } });
    map.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // A map needs its rng; an objective its whole context.
    // @ts-expect-error the context is required
    expect(() => r.create('map', 'mlp')).toThrow();
    // @ts-expect-error the context is required
    expect(() => r.create('objective', 'mmd', undefined, 'method')).toThrow(/method: unknown objective "mmd"/);
  });

  it('an unknown id names the field and lists the known ids; a bad option names the field', () => {
    const r = createRegistry({ plugins: [toyPlugin] });
    expect(() => r.create('kernel', { id: 'gausian' }, undefined, 'loss.kernel')).toThrow(RegistryError);
    expect(() => r.create('kernel', { id: 'gausian' }, undefined, 'loss.kernel')).toThrow(
      'loss.kernel.id: unknown kernel "gausian"; known kernel ids: constant',
    );
    expect(() => r.create('kernel', 'gausian', undefined, 'kernel')).toThrow(/^kernel: unknown kernel "gausian"; known kernel ids: constant$/);
    expect(() => r.create('kernel', 'gausian', undefined)).toThrow(/^unknown kernel "gausian"; known kernel ids: constant$/);
    expect(() => r.create('integrator', 'rk4', undefined, 'sampler.integrator')).toThrow(
      /^sampler\.integrator: unknown integrator "rk4"; known integrator ids: \(none registered: add flowsPlugin from @pfm\/flows\)$/,
    );
    expect(() => createRegistry({ hints: { integrator: 'add myPlugin' } }).create('integrator', 'rk4')).toThrow(/\(none registered: add myPlugin\)$/);
    expect(() => createRegistry({ hints: { integrator: '' } }).create('integrator', 'rk4')).toThrow(/known integrator ids: \(none registered\)$/);
    // The id and the options may come from different places (a flag and a config file).
    const split = { id: '--metric', options: 'mmd.json' };
    expect(() => r.create('kernel', { id: 'gausian' }, undefined, split)).toThrow(/^--metric: unknown kernel "gausian"; known kernel ids: constant$/);
    expect(() => r.create('kernel', { id: 'constant', options: { scale: -1 } }, undefined, split)).toThrow(/: mmd\.json\.scale: .*>0/);
    expect(() => r.create('kernel', { id: 'gausian' }, undefined, { options: 'mmd.json' })).toThrow(/^unknown kernel "gausian"/);
    expect(() => r.create('kernel', { id: 'constant', options: { scale: -1 } }, undefined, 'kernel')).toThrow(OptionsError);
    expect(() => r.create('kernel', { id: 'constant', options: { scale: -1 } }, undefined, 'kernel')).toThrow(/kernel\.options\.scale: .*>0/);
    expect(() => r.create('kernel', { id: 'constant', options: { scael: 1 } })).toThrow(/options: .*scael/);
    expect(() => r.create('kernel', 42 as unknown as string, undefined, 'kernel')).toThrow(/kernel: expected a kernel id or \{ id, options \}, got 42/);
  });

  it('a create() that returns the wrong shape fails at once, naming the plugin, kind and id', () => {
    const cases: Array<[EntryKind, unknown, RegExp]> = [
      ['integrator', { order: 4 }, /^plugin broken: integrator "bad" create\(\) returned an object whose "step" is undefined \(expected a Solver/],
      ['integrator', { step: () => 0 }, /integrator "bad" create\(\) returned an object whose "order" is undefined/],
      ['discrepancy', { value: 1 }, /^plugin broken: discrepancy "bad" create\(\) returned an object with keys value \(expected a Discrepancy: a function/],
      ['kernel', undefined, /kernel "bad" create\(\) returned undefined \(expected a Kernel \{ gram\(x, y\) \}\)/],
      ['test-functions', { size: 2, features: () => 0 }, /"weights" is undefined/],
      ['map', { toSpec: () => ({}) }, /map "bad" create\(\) returned an object with no "apply" or "evaluate" function/],
      ['dataset', { dim: '2', sample: () => 0 }, /dataset "bad" create\(\) returned an object whose "dim" is string "2" \(expected a Measure/],
      ['backend', 'wasm', /backend "bad" create\(\) returned string "wasm"/],
      ['objective', { players: [{ name: 'g', variables: [] }], model: { sample: () => 0 } }, /objective "bad" create\(\) returned an object whose "players\[0\]\.loss" is undefined/],
      ['objective', { players: [], model: {} }, /"model\.sample" is undefined/],
      ['controller', { name: 'pi', init: () => ({}) }, /controller "bad" create\(\) returned an object whose "propose" is undefined \(expected a StepSizeController/],
      ['optimizer', { slots: 'm', init: () => [], update: () => [] }, /optimizer "bad" create\(\) returned an object whose "slots" is string "m"/],
      ['coupling', { name: 'c' }, /coupling "bad" create\(\) returned an object whose "pair" is undefined \(expected a Coupling/],
      ['path', { name: 'p', interpolate: 1 }, /path "bad" create\(\) returned an object whose "interpolate" is number 1 \(expected an Interpolant/],
    ];
    for (const [kind, value, message] of cases) {
      const r = createRegistry({ plugins: [broken(kind, value)] });
      expect(() => r.create(kind, 'bad', { rng: createRng(0) } as never), `${kind} ${JSON.stringify(value)}`).toThrow(message);
    }
    // Right shapes pass.
    const ok = createRegistry({ plugins: [broken('integrator', { order: 1, stochastic: false, step: () => 0 })] });
    expect(ok.create('integrator', 'bad', undefined).order).toBe(1);
  });

  it('use() rejects an entry without create(), or an objective without load(), naming plugin and id', () => {
    const r = createRegistry();
    expect(() => r.use(broken('kernel', {}, { create: 'nope' }))).toThrow('plugin broken: kernel "bad" has no create() function (got string)');
    expect(() => r.use(broken('objective', {}, { load: undefined }))).toThrow(/plugin broken: objective "bad" has no load\(\) function \(got undefined\)/);
    expect(r.has('kernel', 'bad')).toBe(false);
  });
});

describe('entryRefSchema', () => {
  const schema = z.strictObject({ kernel: entryRefSchema('kernel', 'gaussian') });

  it('accepts an id or { id, options } and defaults to the given id', () => {
    expect(schema.parse({})).toEqual({ kernel: { id: 'gaussian', options: {} } });
    expect(schema.parse({ kernel: 'laplace' })).toEqual({ kernel: 'laplace' });
    expect(schema.parse({ kernel: { options: { bandwidth: 1 } } })).toEqual({ kernel: { id: 'gaussian', options: { bandwidth: 1 } } });
    expect(schema.parse({ kernel: { id: 'laplace' } })).toEqual({ kernel: { id: 'laplace', options: {} } });
  });

  it('without a default id, the field and its id are required', () => {
    const required = z.strictObject({ family: entryRefSchema('test-functions') });
    expect(required.parse({ family: 'fourier' })).toEqual({ family: 'fourier' });
    expect(required.parse({ family: { id: 'fourier' } })).toEqual({ family: { id: 'fourier', options: {} } });
    expect(required.safeParse({}).success).toBe(false);
    expect(required.safeParse({ family: { options: {} } }).success).toBe(false);
  });

  it('rejects anything else, naming the field', () => {
    expect(schema.safeParse({ kernel: '' }).success).toBe(false);
    expect(schema.safeParse({ kernel: { id: 'gaussian', option: {} } }).success).toBe(false);
    const r = createRegistry({ plugins: [definePlugin({ name: 'k', version: '1', entries: [
      { kind: 'dataset', id: 'with-ref', description: 'x', schema, create: () => ({ dim: 1, sample: () => { throw new Error('not used'); } }) },
    ] })] });
    expect(() => r.parseOptions('dataset', 'with-ref', { kernel: 3 })).toThrow(/options\.kernel/);
  });
});
