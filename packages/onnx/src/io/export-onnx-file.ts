// Node only.
import { writeFileAtomic } from '@pfm/core/node';
import type { Model } from '@pfm/core';
import { exportOnnx, type ExportOnnxOptions } from '../export/export-onnx.js';

/**
 * Exports `model` to the ONNX file `path` (see `exportOnnx`). The whole graph is built before
 * anything is written, and the file is replaced atomically, so an error leaves no partial file.
 */
export async function exportOnnxFile(model: Model, path: string, options: ExportOnnxOptions = {}): Promise<void> {
  const bytes = exportOnnx(model, options);
  await writeFileAtomic(path, bytes);
}
