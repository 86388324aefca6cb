// One backend of the speed suite, in its own process so kernel registrations never mix:
//   node dist/speed-worker.js <pfm-wasm|stock-wasm|cpu> '<settings JSON>'
// prints one JSON line {backend, results} on stdout. `stock-wasm` selects tfjs-backend-wasm
// without the corrected kernels of @pfm/backend-wasm (they are registered only by its init).
import * as tf from '@tensorflow/tfjs-core';
import { runSpeedCases, type SpeedSettings } from './speed/speed-cases.js';

const [backend, json] = process.argv.slice(2);
try {
  const settings = JSON.parse(json ?? '{}') as SpeedSettings;
  if (backend === 'pfm-wasm') {
    const { wasm } = await import('@pfm/backend-wasm');
    await wasm().init();
  } else if (backend === 'stock-wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('stock tfjs-backend-wasm did not start');
  } else if (backend === 'cpu') {
    const { cpu } = await import('@pfm/backend-cpu');
    await cpu().init();
  } else {
    throw new Error(`backend must be pfm-wasm, stock-wasm or cpu, got ${JSON.stringify(backend)}`);
  }
  await tf.ready();
  const results = await runSpeedCases(settings, (label) => process.stderr.write(`  ${backend}: ${label}\n`));
  process.stdout.write(`${JSON.stringify({ backend, tfBackend: tf.getBackend(), results })}\n`);
} catch (error) {
  process.stderr.write(`speed-worker ${backend}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
