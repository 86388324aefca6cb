// pngjs, loaded on the first PNG read or written, not when `@pfm/datasets/node` is imported: every
// command that builds the data set registry imports that entry, and most never touch a PNG.
// Synchronous (a CommonJS require), so decodePng and encodePngGrid stay synchronous.
import { createRequire } from 'node:module';
import type { PNG } from 'pngjs';

let png: typeof PNG | undefined;

/** pngjs's `PNG` class, required on the first call. */
export function loadPngjs(): typeof PNG {
  png ??= (createRequire(import.meta.url)('pngjs') as { PNG: typeof PNG }).PNG;
  return png;
}
