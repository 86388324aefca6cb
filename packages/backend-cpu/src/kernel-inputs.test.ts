import type * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkFusedDenseGradInputs, checkFusedDenseInputs, checkTangentSlopeGradInputs, checkTangentSlopeInputs } from './kernel-inputs.js';

// The contracts both backends' kernels call before touching memory: the geometry they return, and
// one message naming the input, what it is and what was expected.

const info = (shape: number[], dtype: tf.DataType = 'float32'): tf.TensorInfo => ({ dataId: {}, shape, dtype });

describe('kernel-inputs', () => {
  it('reads the geometry of good fused-dense and tangent-slope calls', () => {
    expect(checkFusedDenseInputs({ x: info([5, 3]), weight: info([3, 4]), bias: info([4]) }, { activation: 'selu' })).toEqual({ n: 5, k: 3, m: 4, activation: 'selu' });
    expect(checkFusedDenseGradInputs({ dy: info([5, 4]), x: info([5, 3]), weight: info([3, 4]), y: info([5, 4]) }, {})).toEqual({ n: 5, k: 3, m: 4, activation: 'linear' });
    expect(checkTangentSlopeInputs({ tangent: info([10, 4]), y: info([5, 4]) }, { activation: 'relu', directions: 2 })).toEqual({ n: 5, r: 2, w: 4, shared: false, activation: 'relu' });
    expect(checkTangentSlopeGradInputs({ dy: info([10, 4]), tangent: info([2, 4]), y: info([5, 4]), dValue: info([5, 4]) }, { activation: 'selu', directions: 2 })).toEqual({ n: 5, r: 2, w: 4, shared: true, activation: 'selu' });
  });

  it('names what was wrong', () => {
    const dense = { x: info([5, 3]), weight: info([3, 4]), bias: info([4]) };
    expect(() => checkFusedDenseInputs(dense, { activation: 'gelu' })).toThrow("PfmFusedDense: attrs.activation is 'gelu'; expected one of linear, relu, selu");
    expect(() => checkFusedDenseInputs({ ...dense, x: info([5, 3], 'int32') }, {})).toThrow('PfmFusedDense: inputs.x is int32 [5, 3]; expected a float32 matrix');
    expect(() => checkFusedDenseInputs({ ...dense, weight: info([2, 4]) }, {})).toThrow("PfmFusedDense: inputs.weight has 2 rows; expected x's 3 columns");
    expect(() => checkFusedDenseInputs({ ...dense, bias: info([3]) }, {})).toThrow('PfmFusedDense: inputs.bias is float32 [3]; expected float32 [4]');
    expect(() => checkFusedDenseGradInputs({ ...dense, dy: info([5, 4]), y: info([4, 4]) }, {})).toThrow('PfmFusedDenseGrad: inputs.y is float32 [4, 4]; expected float32 [5, 4]');
    const slope = { tangent: info([10, 4]), y: info([5, 4]) };
    expect(() => checkTangentSlopeInputs(slope, { directions: 0 })).toThrow('PfmTangentSlope: attrs.directions is 0; expected an integer ≥ 1 (tangents per point)');
    expect(() => checkTangentSlopeInputs({ ...slope, y: info([20]) }, { directions: 2 })).toThrow('PfmTangentSlope: inputs.y is float32 [20]; expected a float32 matrix [n, w]');
    expect(() => checkTangentSlopeInputs({ ...slope, tangent: info([9, 4]) }, { directions: 2 })).toThrow('PfmTangentSlope: inputs.tangent is float32 [9, 4]; expected float32 [10, 4] or [2, 4] (shared by the points)');
    expect(() => checkTangentSlopeGradInputs({ ...slope, dy: info([10, 4]), dValue: info([5, 3]) }, { directions: 2 })).toThrow('PfmTangentSlopeGrad: inputs.dValue is float32 [5, 3]; expected float32 [5, 4]');
  });
});
