import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silenceNodeBanner } from './silence-node-banner.js';

const BANNER = 'looks like you are running TensorFlow.js in Node.js';

function bannerWarnings(spy: { mock: { calls: unknown[][] } }): number {
  return spy.mock.calls.filter((args) => args.some((a) => String(a).includes(BANNER))).length;
}

// A fresh, unregistered backend instance: its first write is where tfjs prints the banner.
function firstWrite(silence: boolean): number {
  const spy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const backend = new MathBackendCPU();
  try {
    if (silence) silenceNodeBanner(backend);
    const dataId = backend.write(new Float32Array([1, 2]), [2], 'float32');
    backend.disposeData(dataId);
    return bannerWarnings(spy);
  } finally {
    backend.dispose();
    spy.mockRestore();
  }
}

describe('silenceNodeBanner', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a fresh CPU backend prints the Node.js banner on its first write (so the next test can fail)', () => {
    // The banner is only printed under Node (tfjs flag IS_NODE), which is where the tests run.
    expect(tf.env().getBool('IS_NODE')).toBe(true);
    expect(firstWrite(false)).toBe(1);
  });

  it('after silencing, the first write prints nothing', () => {
    expect(firstWrite(true)).toBe(0);
  });

  it('ignores objects without the one-shot field and null', () => {
    const other = { firstUse: 'not a boolean' };
    silenceNodeBanner(other);
    expect(other.firstUse).toBe('not a boolean');
    expect(() => silenceNodeBanner(null)).not.toThrow();
  });
});
