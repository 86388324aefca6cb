import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cpu } from './cpu.js';

describe('cpu()', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is a provider named cpu', () => {
    const provider = cpu();
    expect(provider.name).toBe('cpu');
    expect(typeof provider.init).toBe('function');
  });

  it('init() selects the cpu backend, which then computes, without the Node.js banner', async () => {
    const projectBackend = tf.getBackend();
    const warn = vi.spyOn(console, 'warn');
    try {
      await cpu().init();
      expect(tf.getBackend()).toBe('cpu');
      const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), tf.tensor1d([10, 20, 30])));
      expect(Array.from(await sum.data())).toEqual([11, 22, 33]);
      sum.dispose();
      const banner = warn.mock.calls.filter((args) => args.some((a) => String(a).includes('TensorFlow.js in Node.js')));
      expect(banner).toHaveLength(0);
      // The active instance carries the one-shot field cleared.
      expect((tf.findBackend('cpu') as { firstUse?: boolean }).firstUse).toBe(false);
    } finally {
      await tf.setBackend(projectBackend);
    }
    expect(tf.getBackend()).toBe(projectBackend);
  });

  it('init() is repeatable', async () => {
    const projectBackend = tf.getBackend();
    try {
      await cpu().init();
      await cpu().init();
      expect(tf.getBackend()).toBe('cpu');
    } finally {
      await tf.setBackend(projectBackend);
    }
  });
});
