// The one method of tfjs-backend-webgpu's backend the fused pairwise kernels call: run a WGSL
// program on the inputs with the program's own uniforms (in the order of its declaration).
import type * as tf from '@tensorflow/tfjs-core';
import type { PairwiseProgram } from './pairwise-distance-programs.js';

/** A uniform value of a program: its WGSL type and its values. */
export interface ProgramUniform {
  type: 'float32' | 'int32';
  data: number[];
}

/** The part of tfjs-backend-webgpu's `WebGPUBackend` the fused pairwise kernels use. */
export interface WebgpuBackendLike {
  runWebGPUProgram(program: PairwiseProgram, inputs: tf.TensorInfo[], dtype: 'float32', uniforms: ProgramUniform[]): tf.TensorInfo;
}
