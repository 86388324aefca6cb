import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { convEncoder, convGenerator, createRng, unet } from '@pfm/core';
import { wasm } from '@pfm/backend-wasm';
import { describe, expect, it } from 'vitest';
import { IMAGE_TRAIN_CASES, imageTrainLabel, imageTrainRate, imageTrainStep, imageTrainSteps, profileImageTrainStep } from './image-train.js';
import { MNIST_TWIN, runImageTrainTwin } from './image-train-twin.js';
import { findPython } from './python-reference.js';
import { appRoot } from '../app-root.js';
import { runSpeedCases } from './speed-cases.js';

// Parameter counts of pfm's default MNIST networks, which reference/mnist-twin.py --count-parameters
// prints for the same options (unet 243,345; conv-generator 227,297; the gan critic 227,969): the
// twin is built to these numbers, so a change to a default network shows up here first.
const UNET_PARAMETERS = 243_345;
const CONV_GENERATOR_PARAMETERS = 227_297;
const GAN_CRITIC_PARAMETERS = 227_969;

const count = (variables: readonly tf.Variable[]) => variables.reduce((s, v) => s + v.size, 0);

describe('the image speed cases', () => {
  it('time the default MNIST networks, whose sizes the twin mirrors', async () => {
    await wasm().init();
    const before = tf.memory().numTensors;
    const sizes = [
      unet({ shape: [28, 28, 1] }, createRng(0)),
      convGenerator({ inputDim: 64, outputShape: [28, 28, 1] }, createRng(0)),
      convEncoder({ inputShape: [28, 28, 1], outputDim: 1, hidden: [64, 64, 64] }, createRng(0)),
    ].map((m) => {
      const n = count(m.variables as tf.Variable[]);
      m.dispose();
      return n;
    });
    expect(sizes).toEqual([UNET_PARAMETERS, CONV_GENERATOR_PARAMETERS, GAN_CRITIC_PARAMETERS]);
    const steps = IMAGE_TRAIN_CASES.map((id) => imageTrainStep(id));
    expect(steps.map((s) => s.parameters)).toEqual([UNET_PARAMETERS, CONV_GENERATOR_PARAMETERS]);
    for (const s of steps) s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a step changes the weights and leaks nothing; the rate has one positive value per repeat', async () => {
    await wasm().init();
    const before = tf.memory().numTensors;
    for (const id of IMAGE_TRAIN_CASES) {
      const step = imageTrainStep(id);
      const initial = step.variables.map((v) => v.dataSync().slice());
      step.run(0);
      step.run(1);
      const moved = step.variables.filter((v, i) => v.dataSync().some((x, k) => x !== initial[i]![k]));
      // After two steps every weight has moved: the unet's zero output conv blocks the gradient of
      // the layers before it in the first step only.
      expect(moved.length, id).toBe(step.variables.length);
      step.dispose();
      expect(tf.memory().numTensors, id).toBe(before);
    }
    const rates = await imageTrainRate('train-conv-generator-mnist', { repeats: 2, trainSteps: 1 });
    expect(rates).toHaveLength(2);
    for (const r of rates) expect(r).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('runs through the suite with its parameter count, and the profile names the convolution kernels', async () => {
    await wasm().init();
    const before = tf.memory().numTensors;
    const results = await runSpeedCases({ repeats: 1, trainSteps: 1, pairPoints: 16, matmulSize: 8, cases: ['train-conv-generator-mnist'] });
    expect(results.map((r) => [r.id, r.parameters, r.repeats.length])).toEqual([['train-conv-generator-mnist', CONV_GENERATOR_PARAMETERS, 1]]);
    const profile = await profileImageTrainStep('train-conv-generator-mnist', 1);
    expect(profile.kernels.map((k) => k.kernel)).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']));
    expect(profile.kernelMs).toBeLessThanOrEqual(profile.stepMs * 1.5);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('times a 25th of the MLP cases’ steps (at least 2) and refuses an unknown case', () => {
    expect(imageTrainSteps(50)).toBe(2);
    expect(imageTrainSteps(100)).toBe(4);
    expect(imageTrainLabel('train-unet-mnist', 50)).toMatch(/^FM training step, default unet .*batch 64, Adam, 2 steps per repeat$/);
    expect(() => imageTrainStep('train-nope' as never)).toThrow('image speed case: id must be one of train-unet-mnist, train-conv-generator-mnist, got "train-nope"');
  });

  it('reports a twin that cannot run instead of failing the suite', () => {
    const twin = runImageTrainTwin('no-such-python-interpreter', 'train-unet-mnist', UNET_PARAMETERS, { repeats: 1, trainSteps: 1, threads: [1] });
    expect(twin.stepsPerSecond).toEqual({});
    expect(twin.failures).toHaveLength(1);
    expect(twin.failures[0]).toMatch(/^train-unet-mnist twin at 1 thread\(s\): /);
  });

  // The twin needs torch; where a python 3 imports it, the twin's networks must have pfm's sizes
  // and a field it does not implement must stop it with code 2 and the field's name.
  const torchPython = findPython(['torch']);
  it.skipIf(torchPython === undefined)('the PyTorch twin builds networks of pfm’s sizes and refuses what it does not implement', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfm-mnist-twin-'));
    try {
      const run = (recipe: object) => {
        const file = join(dir, 'recipe.json');
        writeFileSync(file, JSON.stringify(recipe));
        return spawnSync(torchPython!, [join(appRoot(), MNIST_TWIN), '--count-parameters', file], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      };
      const counts = ['energy', 'gan', 'flow-matching'].map((method) => {
        const r = run({ method });
        expect(r.status, r.stderr).toBe(0);
        return JSON.parse(r.stdout) as Record<string, number>;
      });
      expect(counts).toEqual([
        { generator: CONV_GENERATOR_PARAMETERS },
        { generator: CONV_GENERATOR_PARAMETERS, critic: GAN_CRITIC_PARAMETERS },
        { velocity: UNET_PARAMETERS },
      ]);
      const refused = run({ method: 'flow-matching', model: { channels: 16, attention: true } });
      expect(refused.status).toBe(2);
      expect(refused.stderr.trim()).toBe('mnist-twin: recipe.model.attention: not implemented by the PyTorch twin (known: blocks, channelMult, channels, finalScale, groups, timeFrequencies, timeScale, type)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
