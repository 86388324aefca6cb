// PfmFusedDenseGrad on cpu: the backward pass of y = act(x·W + b) as one kernel giving
//   dz = dy ⊙ act′, read from the output y (linear: 1; relu: [y > 0]; selu: λ where y > 0, else
//        y + λα = λα·e^z, Klambauer et al. 2017, eq. 2 differentiated),
//   dx = dz·Wᵀ, dW = xᵀ·dz (the backend's BatchMatMul), db = Σ_rows dz (float64, rows in order,
//   as the Sum kernel adds).
// Linear and relu layers get autodiff's values bit for bit; selu's negative side is y + λα
// instead of λα·exp(z), within a float32 rounding of it (absolute error about 1e-7·|dy|).
import * as tf from '@tensorflow/tfjs-core';
import { cpuMatMul, type CpuDenseBackend } from './fused-dense-inputs.js';
import { checkFusedDenseGradInputs } from '../kernel-inputs.js';

/**
 * The cpu kernel of `PfmFusedDenseGrad`: inputs dy `[n, m]`, x `[n, k]`, weight `[k, m]`, y `[n, m]`
 * (the forward output), attrs `{ activation }` → `[dx [n, k], dWeight [k, m], dBias [m]]`.
 */
export const fusedDenseGradKernel: tf.KernelFunc = (args) => {
  const { dy, x, weight, y } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; weight: tf.TensorInfo; y: tf.TensorInfo };
  const { n, k, m, activation } = checkFusedDenseGradInputs({ dy, x, weight, y }, args.attrs);
  const backend = args.backend as unknown as CpuDenseBackend;
  const dyValues = backend.data.get(dy.dataId).values as Float32Array;
  const acc = new Float64Array(m);
  let dz = dy;
  if (activation === 'linear') {
    for (let i = 0, at = 0; i < n; i++) for (let j = 0; j < m; j++, at++) acc[j] = acc[j]! + dyValues[at]!;
  } else {
    const yValues = backend.data.get(y.dataId).values as Float32Array;
    const dzValues = new Float32Array(n * m);
    const scale = Math.fround(tf.backend_util.SELU_SCALE);
    const scaleAlpha = tf.backend_util.SELU_SCALEALPHA;
    for (let i = 0, at = 0; i < n; i++) {
      for (let j = 0; j < m; j++, at++) {
        const v = yValues[at]!;
        dzValues[at] = dyValues[at]! * (activation === 'relu' ? (v > 0 ? 1 : 0) : v > 0 ? scale : v + scaleAlpha);
        acc[j] = acc[j]! + dzValues[at]!;
      }
    }
    dz = backend.makeTensorInfo([n, m], 'float32', dzValues);
  }
  const db = backend.makeTensorInfo([m], 'float32', Float32Array.from(acc));
  const dw = cpuMatMul(args.backend, x, dz, true, false);
  const dx = cpuMatMul(args.backend, dz, weight, false, true);
  if (dz !== dy) (args.backend as unknown as { disposeIntermediateTensorInfo(t: tf.TensorInfo): void }).disposeIntermediateTensorInfo(dz);
  return [{ ...dx, shape: [n, k] }, { ...dw, shape: [k, m] }, db];
};
