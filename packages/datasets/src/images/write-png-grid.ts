// Node only: a PNG grid of samples written atomically.
import { writeFileAtomic } from '@pfm/core/node';
import { encodePngGrid, type PngGridInput, type PngGridOptions } from './encode-png-grid.js';

/**
 * Writes `images` as a PNG grid (see {@link encodePngGrid}) to `path`, atomically: the picture
 * is encoded first, then written to a temporary file renamed over `path`, so nothing half-written
 * is ever left behind.
 */
export async function writePngGrid(path: string, images: PngGridInput, options: PngGridOptions = {}): Promise<void> {
  await writeFileAtomic(path, encodePngGrid(images, options));
}
