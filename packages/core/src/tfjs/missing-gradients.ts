// Gradients that tfjs-core 4.22 does not define on any backend.
//   TopK:         dx = scatter-add of d(values) into the positions `indices` along the last axis.
//   StridedSlice: dx = scatter-add of dy into the input positions the slice read; the positions
//                 are found by slicing an index tensor with the same attributes, so every mask
//                 and stride combination is handled by the forward kernel itself.
//   Cumprod:      for y = cumprod(x), dx_i = (Σ_{j ≥ i} dy_j y_j) / x_i (inclusive, forward);
//                 like TensorFlow's own rule it divides by x and is undefined where x = 0.
//   Comparisons and logical ops (Greater, Less, Equal, LogicalAnd, …): piecewise constant, so
//                 their gradient is zero; tfjs defines none, which breaks second-order
//                 gradients through selu or a gradient penalty.
import * as tf from '@tensorflow/tfjs-core';

type Attr = Record<string, unknown>;

function scatterAdd(values: tf.Tensor, flatIndices: tf.Tensor, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf
    .unsortedSegmentSum(values.reshape([-1]), flatIndices.reshape([-1]).toInt() as tf.Tensor1D, size)
    .reshape(shape);
}

const PIECEWISE_CONSTANT: readonly string[] = [
  tf.Greater,
  tf.GreaterEqual,
  tf.Less,
  tf.LessEqual,
  tf.Equal,
  tf.NotEqual,
  tf.LogicalAnd,
  tf.LogicalOr,
  tf.LogicalNot,
  tf.IsNan,
  tf.IsInf,
  tf.IsFinite,
];

export function registerMissingGradients(): void {
  for (const kernelName of PIECEWISE_CONSTANT) {
    if (tf.getGradient(kernelName) !== undefined) continue;
    const unary = kernelName === tf.LogicalNot || kernelName === tf.IsNan || kernelName === tf.IsInf || kernelName === tf.IsFinite;
    tf.registerGradient({
      kernelName,
      inputsToSave: unary ? ['x'] : ['a', 'b'],
      gradFunc: (_dy, saved): Record<string, () => tf.Tensor> =>
        unary
          ? { x: () => tf.zerosLike(saved[0]!) }
          : { a: () => tf.zerosLike(saved[0]!), b: () => tf.zerosLike(saved[1]!) },
    });
  }
  tf.registerGradient({
    kernelName: tf.TopK,
    inputsToSave: ['x'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [x, indices] = saved as [tf.Tensor, tf.Tensor];
      const dValues = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor;
      return {
        x: () =>
          tf.tidy(() => {
            const n = x.shape[x.shape.length - 1] ?? 1;
            const k = indices.shape[indices.shape.length - 1] ?? 1;
            const rows = indices.size / Math.max(k, 1);
            const rowOffset = tf.range(0, rows, 1, 'int32').mul(tf.scalar(n, 'int32')).reshape([rows, 1]);
            const flat = indices.reshape([rows, k]).add(rowOffset);
            return scatterAdd(dValues, flat, x.shape);
          }),
      };
    },
  });

  tf.registerGradient({
    kernelName: tf.StridedSlice,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const a = attrs as Attr;
      return {
        x: () =>
          tf.tidy(() => {
            const positions = tf.range(0, x.size, 1, 'int32').reshape(x.shape);
            const read = tf.stridedSlice(
              positions,
              a.begin as number[],
              a.end as number[],
              a.strides as number[],
              a.beginMask as number,
              a.endMask as number,
              a.ellipsisMask as number,
              a.newAxisMask as number,
              a.shrinkAxisMask as number,
            );
            return scatterAdd(dy as tf.Tensor, read, x.shape);
          }),
      };
    },
  });

  tf.registerGradient({
    kernelName: tf.Cumprod,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved as [tf.Tensor, tf.Tensor];
      const a = attrs as Attr;
      const axis = a.axis as number;
      const exclusive = Boolean(a.exclusive);
      const reverse = Boolean(a.reverse);
      return {
        x: () =>
          tf.tidy(() => {
            // Σ over the outputs that include x_i, taken in the opposite direction.
            const weighted = tf.cumsum((dy as tf.Tensor).mul(y), axis, exclusive, !reverse);
            return weighted.div(x);
          }),
      };
    },
  });
}
