import * as tf from '@tensorflow/tfjs-core';
import { wasm } from '@pfm/backend-wasm';
import { energyDistance } from '@pfm/ipm';
await wasm({ threads: 1 }).init();
for (const B of [128, 256]) for (const d of [16, 64, 784]) {
  const x = tf.variable(tf.randomUniform([B, d])); const y = tf.randomUniform([B, d]);
  const res = {};
  for (const fused of [true, false]) {
    const run = () => tf.tidy(() => { const { value, grads } = tf.variableGrads(() => energyDistance(x, y, { fused }), [x]); return [value.dataSync()[0], grads[x.name].dataSync()[0]]; });
    const r0 = run();
    const t = performance.now(); for (let i = 0; i < 3; i++) run(); res[fused] = [((performance.now() - t) / 3).toFixed(1), r0[0].toFixed(6), r0[1].toExponential(4)];
  }
  console.log(B, d, JSON.stringify(res));
  x.dispose(); y.dispose();
}
