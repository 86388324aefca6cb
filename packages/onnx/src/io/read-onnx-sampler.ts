// Node only.
import { readFile } from 'node:fs/promises';
import { createOnnxSampler, type CreateOnnxSamplerOptions, type OnnxSampler } from '../runtime/onnx-sampler.js';
import type { OnnxRuntime } from '../runtime/onnx-runtime.js';

/** Reads the ONNX file `path` (written by `exportOnnx`) and opens its sampler in `runtime` (e.g. onnxruntime-node). */
export async function readOnnxSampler(path: string, runtime: OnnxRuntime, options: Omit<CreateOnnxSamplerOptions, 'source'> = {}): Promise<OnnxSampler> {
  const bytes = new Uint8Array(await readFile(path));
  return createOnnxSampler(bytes, runtime, { ...options, source: path });
}
