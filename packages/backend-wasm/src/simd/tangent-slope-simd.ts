// The tangent-slope loops of a CNF's exact trace as WebAssembly SIMD (4 float32 lanes), in the
// SELU SIMD module (selu-simd-module.ts), on the wasm backend's heap in place:
//   forward   U[i·r + j] = T[i·r + j] ⊙ s_i,  s = σ'(a) read from y (selu: λ where y > 0, else
//             y + λα; relu: 1[y > 0]), T either per point or one [r, w] block for all points;
//   backward  ∂T = G_U ⊙ s (summed over the points, in order, for a shared T),
//             G_y′ = G_y + 1[y ≤ 0] ⊙ Σ_j G_U ⊙ T  (selu; relu: G_y′ = G_y),
// every product and sum in float32 in the order of the cpu reference (@pfm/backend-cpu), so the
// two agree bit for bit. Rows of w float32 with w a multiple of 4 (the kernels' JavaScript loops
// take the rest).
import * as tf from '@tensorflow/tfjs-core';
import { forRange, I32, V128, WasmCode, type ValueType, type WasmFunction } from './wasm-assembler.js';

/** The activations whose slope the loops read from y. */
export type TangentSlopeActivation = 'relu' | 'selu';

/** Pushes σ'(a) of the v128 local `y` (the layer's output) onto the stack. */
function slope4(c: WasmCode, activation: TangentSlopeActivation, y: number): void {
  if (activation === 'selu') c.f32x4Const(Math.fround(tf.backend_util.SELU_SCALE)).localGet(y).f32x4Const(Math.fround(tf.backend_util.SELU_SCALEALPHA)).f32x4Add();
  else c.f32x4Const(1).f32x4Const(0);
  c.localGet(y).f32x4Const(0).f32x4Gt().v128Bitselect();
}

/**
 * tangentSlope<Act>(t, y, u, n, r, w, shared): U [n·r, w] from T ([n·r, w], or [r, w] when
 * `shared` is 1) and y [n, w]; byte addresses, w a multiple of 4.
 */
export function tangentSlopeFunction(activation: TangentSlopeActivation): WasmFunction {
  const [t, y, u, n, r, w, shared] = [0, 1, 2, 3, 4, 5, 6];
  const [i, j, k, rowBytes, blockBytes, yRow, uRow, tRow, tStep] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const [yv, s] = [16, 17];
  const c = new WasmCode();
  c.localGet(w).i32Const(2).i32Shl().localSet(rowBytes);
  c.localGet(r).localGet(rowBytes).i32Mul().localSet(blockBytes);
  // T advances by a block per point, or not at all when shared.
  c.i32Const(0).localGet(blockBytes).localGet(shared).select().localSet(tStep);
  c.localGet(y).localSet(yRow).localGet(u).localSet(uRow).localGet(t).localSet(tRow);
  forRange(c, i, () => c.i32Const(0), n, 1, () => {
    forRange(c, j, () => c.i32Const(0), rowBytes, 16, () => {
      c.localGet(yRow).localGet(j).i32Add().v128Load().localSet(yv);
      slope4(c, activation, yv);
      c.localSet(s);
      forRange(c, k, () => c.localGet(j), blockBytes, 0, () => {
        c.localGet(uRow).localGet(k).i32Add();
        c.localGet(tRow).localGet(k).i32Add().v128Load().localGet(s).f32x4Mul().v128Store();
        c.localGet(k).localGet(rowBytes).i32Add().localSet(k);
      });
    });
    c.localGet(yRow).localGet(rowBytes).i32Add().localSet(yRow);
    c.localGet(uRow).localGet(blockBytes).i32Add().localSet(uRow);
    c.localGet(tRow).localGet(tStep).i32Add().localSet(tRow);
  });
  const locals: ValueType[] = [...Array<ValueType>(9).fill(I32), V128, V128];
  return { name: `tangentSlope_${activation}`, params: [I32, I32, I32, I32, I32, I32, I32], results: [], locals, body: c };
}

/**
 * tangentSlopeGrad<Act>(g, t, y, gy, dt, dout, n, r, w, shared): ∂T into dt (T's shape; zeroed
 * first when shared) and G_y′ [n, w] into dout, from G_U = g [n·r, w], T, y and G_y = gy [n, w].
 */
export function tangentSlopeGradFunction(activation: TangentSlopeActivation): WasmFunction {
  const [g, t, y, gy, dt, dout, n, r, w, shared] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, j, k, rowBytes, blockBytes, yRow, gRow, tRow, tStep, dtRow] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const [yv, s, gv, sum] = [20, 21, 22, 23];
  const c = new WasmCode();
  c.localGet(w).i32Const(2).i32Shl().localSet(rowBytes);
  c.localGet(r).localGet(rowBytes).i32Mul().localSet(blockBytes);
  c.i32Const(0).localGet(blockBytes).localGet(shared).select().localSet(tStep);
  // A shared T's gradient is a sum over the points: start it at zero.
  c.localGet(shared).if();
  forRange(c, k, () => c.i32Const(0), blockBytes, 16, () => {
    c.localGet(dt).localGet(k).i32Add().f32x4Const(0).v128Store();
  });
  c.end();
  c.localGet(y).localSet(yRow).localGet(g).localSet(gRow).localGet(t).localSet(tRow).localGet(dt).localSet(dtRow);
  forRange(c, i, () => c.i32Const(0), n, 1, () => {
    forRange(c, j, () => c.i32Const(0), rowBytes, 16, () => {
      c.localGet(yRow).localGet(j).i32Add().v128Load().localSet(yv);
      slope4(c, activation, yv);
      c.localSet(s);
      c.f32x4Const(0).localSet(sum);
      forRange(c, k, () => c.localGet(j), blockBytes, 0, () => {
        c.localGet(gRow).localGet(k).i32Add().v128Load().localSet(gv);
        if (activation === 'selu') c.localGet(sum).localGet(gv).localGet(tRow).localGet(k).i32Add().v128Load().f32x4Mul().f32x4Add().localSet(sum);
        // dt (+)= g ⊙ s: a shared T's gradient adds the points up in order.
        c.localGet(shared).if();
        c.localGet(dtRow).localGet(k).i32Add();
        c.localGet(dtRow).localGet(k).i32Add().v128Load().localGet(gv).localGet(s).f32x4Mul().f32x4Add().v128Store();
        c.else();
        c.localGet(dtRow).localGet(k).i32Add().localGet(gv).localGet(s).f32x4Mul().v128Store();
        c.end();
        c.localGet(k).localGet(rowBytes).i32Add().localSet(k);
      });
      c.localGet(dout).localGet(yRow).localGet(y).i32Sub().i32Add().localGet(j).i32Add();
      c.localGet(gy).localGet(yRow).localGet(y).i32Sub().i32Add().localGet(j).i32Add().v128Load();
      if (activation === 'selu') c.localSet(gv).localGet(gv).localGet(gv).localGet(sum).f32x4Add().localGet(yv).f32x4Const(0).f32x4Gt().v128Bitselect();
      c.v128Store();
    });
    c.localGet(yRow).localGet(rowBytes).i32Add().localSet(yRow);
    c.localGet(gRow).localGet(blockBytes).i32Add().localSet(gRow);
    c.localGet(tRow).localGet(tStep).i32Add().localSet(tRow);
    c.localGet(dtRow).localGet(tStep).i32Add().localSet(dtRow);
  });
  const locals: ValueType[] = [...Array<ValueType>(10).fill(I32), V128, V128, V128, V128];
  return { name: `tangentSlopeGrad_${activation}`, params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], results: [], locals, body: c };
}
