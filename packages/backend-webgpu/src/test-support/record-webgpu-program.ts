// Node has no GPU: the kernels' tests run their kernel function against a stand-in backend that
// records the WebGPU program it is handed (the WGSL itself runs in headless Chromium, in
// test/webgpu-chromium.test.ts). Test-only; not exported by the package.
import * as tf from '@tensorflow/tfjs-core';

/** A tensor of `shape` as a kernel sees it (no data: the stand-in backend runs nothing). */
export const tensorInfo = (shape: number[], dtype: tf.DataType = 'float32'): tf.TensorInfo => ({ dataId: {}, shape, dtype });

/** What a kernel handed to `runWebGPUProgram`: the program and its uniforms. */
export interface RecordedProgram {
  program: { outputShape: number[]; dispatch: number[]; shaderKey: string; getUserCode(): string };
  uniforms: unknown;
}

/** Runs the webgpu kernel `kernelName` on a stand-in backend and returns the first program it ran. */
export function recordWebgpuProgram(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>): RecordedProgram {
  const programs: RecordedProgram[] = [];
  const backend = {
    runWebGPUProgram(program: never, _inputs: unknown, _dtype: unknown, uniforms: unknown) {
      programs.push({ program, uniforms });
      return tensorInfo([1]);
    },
  };
  tf.getKernel(kernelName, 'webgpu')!.kernelFunc({ inputs: inputs as never, backend: backend as never, attrs: attrs as never });
  return programs[0]!;
}
