import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry/registry.js';
import { corePlugin } from '../maps/core-plugin.js';
import { createRng } from '../rng/rng.js';
import { mlp } from '../maps/mlp.js';
import { IMAGE_NETWORK_DEFAULTS, networkSpec } from './network-spec.js';
import { createNetwork, IMAGE_LATENT_DIM, withLatentDim } from './generator-model.js';

const registry = createRegistry({ plugins: [corePlugin] });

describe('networkSpec', () => {
  it('keeps the MLPs on vectors and picks the image map of each role on [h, w, c]', () => {
    expect(networkSpec({ hidden: [4] }, 'generator', { inputDim: 2, outputDim: 3 })).toEqual({ type: 'mlp', options: { hidden: [4], inputDim: 2, outputDim: 3 } });
    expect(networkSpec({}, 'velocity', { inputDim: 3, outputDim: 3 }, [3])).toEqual({ type: 'time-mlp', options: { dim: 3 } });
    const image = [4, 4, 1];
    expect(networkSpec({}, 'generator', { inputDim: 8, outputDim: 16 }, image)).toEqual({ type: 'conv-generator', options: { inputDim: 8, outputShape: [4, 4, 1] } });
    expect(networkSpec({}, 'decoder', { inputDim: 2, outputDim: 16 }, image).type).toBe('conv-generator');
    expect(networkSpec({ activation: 'relu' }, 'critic', { inputDim: 16, outputDim: 1 }, image)).toEqual({
      type: 'conv-encoder',
      options: { activation: 'relu', inputShape: [4, 4, 1], outputDim: 1 },
    });
    expect(networkSpec({}, 'encoder', { inputDim: 16, outputDim: 4 }, image).type).toBe('conv-encoder');
    expect(networkSpec({ channels: 8 }, 'velocity', { inputDim: 16, outputDim: 16 }, image)).toEqual({ type: 'unet', options: { channels: 8, shape: [4, 4, 1] } });
    expect(IMAGE_NETWORK_DEFAULTS).toEqual({ generator: 'conv-generator', decoder: 'conv-generator', critic: 'conv-encoder', encoder: 'conv-encoder', velocity: 'unet' });
    // model.type wins over the image default, and its sizes come from the objective.
    expect(networkSpec({ type: 'mlp', hidden: [2], inputDim: 99 }, 'generator', { inputDim: 8, outputDim: 16 }, image)).toEqual({
      type: 'mlp',
      options: { hidden: [2], inputDim: 8, outputDim: 16 },
    });
  });

  it('refuses an image map without an image eventShape, of the wrong size, or a type that is not an id', () => {
    expect(() => networkSpec({ type: 'unet' }, 'velocity', { inputDim: 16, outputDim: 16 })).toThrow(
      /model\.type: "unet" works on images and needs the data's eventShape \[h, w, c\], got none/,
    );
    expect(() => networkSpec({ type: 'conv-encoder' }, 'critic', { inputDim: 16, outputDim: 1 }, [16])).toThrow(/got \[16\]/);
    expect(() => networkSpec({ type: 'conv-generator' }, 'generator', { inputDim: 4, outputDim: 15 }, [4, 4, 1])).toThrow(
      /model\.type: "conv-generator" as the generator needs images of 15 values, the eventShape \[4,4,1\] has 16/,
    );
    expect(() => networkSpec({ type: 3 }, 'generator', { inputDim: 4, outputDim: 4 })).toThrow(/model\.type: expected a map id \(a non-empty string\), got 3/);
  });
});

describe('createNetwork', () => {
  it('builds on vectors the same MLP as before (same weights), with or without the image context', () => {
    const before = tf.memory().numTensors;
    const reference = mlp({ inputDim: 2, outputDim: 3, hidden: [5], activation: 'tanh' }, createRng(9));
    const built = createNetwork({ hidden: [5] }, { inputDim: 2, outputDim: 3 }, createRng(9), { hidden: [64], activation: 'tanh' }, { registry, role: 'generator' });
    const typed = createNetwork({ type: 'mlp', hidden: [5], activation: 'tanh' }, { inputDim: 2, outputDim: 3 }, createRng(9));
    for (const net of [built, typed]) {
      expect(net.toSpec()).toEqual(reference.toSpec());
      net.variables.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(reference.variables[i]!.dataSync())));
      net.dispose();
    }
    reference.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builds the image default or the named map through the registry, errors at model.<field>', () => {
    const before = tf.memory().numTensors;
    const image = { registry, eventShape: [8, 8, 1] };
    const generator = createNetwork({ channels: [8, 8, 8] }, { inputDim: 4, outputDim: 64 }, createRng(1), { hidden: [64] }, { ...image, role: 'generator' });
    expect(generator.toSpec().type).toBe('conv-generator');
    const critic = createNetwork({ activation: 'relu' }, { inputDim: 64, outputDim: 1 }, createRng(2), {}, { ...image, role: 'critic' });
    expect(critic.toSpec()).toMatchObject({ type: 'conv-encoder', options: { activation: 'relu', inputShape: [8, 8, 1], outputDim: 1 } });
    tf.tidy(() => {
      expect(critic.apply(generator.apply(tf.zeros([2, 4]))).shape).toEqual([2, 1]);
    });
    generator.dispose();
    critic.dispose();
    expect(() => createNetwork({ channels: [8, -1] }, { inputDim: 4, outputDim: 64 }, createRng(1), {}, image)).toThrow(/bad options for map "conv-generator": model\.channels\.1/);
    expect(() => createNetwork({ type: 'convgen' }, { inputDim: 4, outputDim: 64 }, createRng(1), {}, image)).toThrow(/model\.type: unknown map "convgen"/);
    expect(() => createNetwork({ type: 'unet' }, { inputDim: 64, outputDim: 64 }, createRng(1), {}, image)).toThrow(
      /model\.type: "unet" does not build a map R\^64 → R\^64, which the generator needs \(it builds a vector field/,
    );
    expect(() => createNetwork({}, { inputDim: 4, outputDim: 64 }, createRng(1), {}, { eventShape: [8, 8, 1] })).toThrow(/model\.type: building "conv-generator" needs a registry/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resolves latentDim 0 to the data dimension on vectors and to IMAGE_LATENT_DIM on images', () => {
    expect(withLatentDim({ latentDim: 0 }, 784).latentDim).toBe(784);
    expect(withLatentDim({ latentDim: 0 }, 784, [28, 28, 1]).latentDim).toBe(IMAGE_LATENT_DIM);
    expect(withLatentDim({ latentDim: 5 }, 784, [28, 28, 1]).latentDim).toBe(5);
  });
});
