// MNIST on the page: the slice of digits bundled at build time (see build/mnist-subset-plugin.ts),
// fetched from the page's own server when chosen, as training images and held-out ones.
import { digits, shape, testImages, trainImages, url } from 'virtual:mnist-subset';
import type { PointTable } from '../protocol.js';

/** The id of the bundled MNIST slice in the data source list. */
export const MNIST_SOURCE = 'mnist';

/** Fetches the bundled slice: `trainImages` training images and `testImages` held-out ones, values k/255, each with its digit. */
export async function loadMnistSubset(): Promise<{ data: PointTable; reference: PointTable }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`mnist: the page's digit file answered HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const cols = shape.reduce((a, b) => a * b, 1);
  const expected = (trainImages + testImages) * cols;
  if (bytes.length !== expected) throw new Error(`mnist: the page's digit file has ${bytes.length} bytes, expected ${expected}`);
  const table = (start: number, rows: number): PointTable => {
    const values = new Float32Array(rows * cols);
    for (let k = 0; k < values.length; k++) values[k] = bytes[start * cols + k]! / 255;
    const labels = Int32Array.from({ length: rows }, (_, i) => Number(digits[start + i]));
    return { rows, cols, values, shape: [...shape], labels: { values: labels, classes: 10 } };
  };
  return { data: table(0, trainImages), reference: table(trainImages, testImages) };
}
