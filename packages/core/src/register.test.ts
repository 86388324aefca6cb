import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each check runs in a fresh Node process (this one already has everything registered by the
// test setup), against the built package as a user would load it.
const packageDir = fileURLToPath(new URL('..', import.meta.url));

function runNode(source: string, type: 'module' | 'commonjs'): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--input-type', type, '-e', source], { cwd: packageDir, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

const probe = `({ batchMatMul: tf.getGradient('BatchMatMul') !== undefined, topK: tf.getGradient('TopK') !== undefined, chained: typeof tf.Tensor.prototype.add === 'function' })`;

describe('@pfm/core/register', () => {
  it('importing @pfm/core (ESM) leaves tfjs gradient registry and Tensor methods unchanged; the register entry adds them', () => {
    const seen = runNode(
      `import * as tf from '@tensorflow/tfjs-core';
const before = ${probe};
const core = await import('@pfm/core');
const afterCore = ${probe};
await import('@pfm/core/register');
console.log(JSON.stringify({ exports: Object.keys(core).length, before, afterCore, afterRegister: ${probe} }));`,
      'module',
    );
    const none = { batchMatMul: false, topK: false, chained: false };
    expect(seen.exports).toBeGreaterThan(20);
    expect(seen.before).toEqual(none);
    expect(seen.afterCore).toEqual(none);
    expect(seen.afterRegister).toEqual({ batchMatMul: true, topK: true, chained: true });
  });

  it('the same from CommonJS', () => {
    const seen = runNode(
      `const tf = require('@tensorflow/tfjs-core');
require('@pfm/core');
const afterCore = ${probe};
require('@pfm/core/register');
console.log(JSON.stringify({ afterCore, afterRegister: ${probe} }));`,
      'commonjs',
    );
    expect(seen.afterCore).toEqual({ batchMatMul: false, topK: false, chained: false });
    expect(seen.afterRegister).toEqual({ batchMatMul: true, topK: true, chained: true });
  });

  it('importing a backend package registers the gradients, so training runs with no extra import', () => {
    const seen = runNode(
      `import * as tf from '@tensorflow/tfjs-core';
import { createRng, gaussian, mlp, train } from '@pfm/core';
const before = tf.getGradient('BatchMatMul') !== undefined;
const { cpu } = await import('@pfm/backend-cpu');
await cpu().init();
const rng = createRng(1);
const data = gaussian({ mean: [2, -1] }).sample(128, rng);
const net = mlp({ inputDim: 2, outputDim: 2, hidden: [8] }, rng);
const run = { players: [{ name: 'g', variables: net.variables, loss: ({ batch, rng }) => tf.tidy(() => tf.mean(tf.square(tf.sub(net.apply(rng.normal(batch.shape)), batch)))) }], model: {} };
const result = await train(run, data, { steps: 30, batchSize: 64, seed: 0 });
console.log(JSON.stringify({ before, first: result.lossHistory[0], final: result.finalLoss, steps: result.steps }));`,
      'module',
    );
    expect(seen.before).toBe(false);
    expect(seen.steps).toBe(30);
    expect(seen.final as number).toBeLessThan(seen.first as number);
  });
});
