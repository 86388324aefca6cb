// The SELU loops of the fused dense kernels as WebAssembly SIMD (4 float32 lanes), working on the
// wasm backend's heap in place (Klambauer et al. 2017, "Self-normalizing neural networks", eq. 2):
//   forward     y = λz for z ≥ 0, λα(e^z − 1) otherwise,       z = x·W + b (the bias added here)
//   derivative  dz = dy · (λ where y > 0, else y + λα = λα·e^z),  db = Σ_rows dz (in float64)
// e^z − 1 for z ≤ 0 by range reduction (Cody & Waite 1980, "Software manual for the elementary
// functions", ch. 6): z = k·ln2 + r with k = round(z/ln2), |r| ≤ ln2/2, ln2 split into a 15-bit
// head (k·head exact for |k| < 512) and a tail; e^r − 1 = r + r²·P(r), P the degree-5 Taylor
// polynomial of (e^r − 1 − r)/r² (truncation below r⁷/7! ≤ 1.6e-8 relative), then
// e^z − 1 = (2^k − 1) + 2^k·(e^r − 1), 2^k written into the exponent bits. z is clamped to
// [−87, 0] first: 2^k stays a normal float32, and below −17.33 e^z − 1 rounds to −1 in float32
// anyway, so the clamp changes no result; NaN passes the clamps (pmin/pmax keep their first
// operand when a comparison is false) and comes out NaN. Measured error of e^z − 1 against
// float64 Math.expm1 over [−100, 0], subnormal z included: at most 0.76 float32 ulp, a relative
// 9.1e-8; of selu, 1.02 ulps (selu-simd-module.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { tangentSlopeFunction, tangentSlopeGradFunction } from './tangent-slope-simd.js';
import { F32, forRange as loop, I32, V128, WasmCode, wasmModule, type ValueType, type WasmFunction } from './wasm-assembler.js';

const LOG2E = Math.LOG2E;
/** ln2 to 15 significant bits (0x3f317200), so that k·LN2_HEAD is exact for |k| < 512. */
const LN2_HEAD = 0.693145751953125;
const LN2_TAIL = Math.LN2 - LN2_HEAD;
/** Lower clamp of z: 2^k ≥ 2^-126 stays normal, and e^z − 1 rounds to −1 from −17.33 down. */
const CLAMP = -87;
/** Taylor coefficients 1/2!, …, 1/7! of e^r − 1 − r = r²·(1/2 + r/6 + …). */
const TAYLOR = [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];

/**
 * Appends e^z − 1 of the v128 local `z` (lanes clamped to [−87, 0]) to `c`, leaving it on the
 * stack; `v`, `k`, `r`, `q` are v128 scratch locals.
 */
function expm1Negative(c: WasmCode, z: number, v: number, k: number, r: number, q: number): void {
  // v = max(min(z, 0), −87); pmin(a, b) = b < a ? b : a keeps a NaN a.
  c.localGet(z).f32x4Const(0).f32x4Pmin().f32x4Const(CLAMP).f32x4Pmax().localSet(v);
  // k = round(v·log2 e)
  c.localGet(v).f32x4Const(LOG2E).f32x4Mul().f32x4Nearest().localSet(k);
  // r = (v − k·head) − k·tail
  c.localGet(v).localGet(k).f32x4Const(LN2_HEAD).f32x4Mul().f32x4Sub().localGet(k).f32x4Const(LN2_TAIL).f32x4Mul().f32x4Sub().localSet(r);
  // P(r) by Horner from 1/7! down to 1/2!, then q = r + r²·P(r) = e^r − 1
  c.f32x4Const(TAYLOR[5]!);
  for (let i = 4; i >= 0; i--) c.localGet(r).f32x4Mul().f32x4Const(TAYLOR[i]!).f32x4Add();
  c.localGet(r).localGet(r).f32x4Mul().f32x4Mul().localGet(r).f32x4Add().localSet(q);
  // s = 2^k from the exponent bits (k + 127) << 23, kept in k
  c.localGet(k).i32x4TruncSatF32x4S().i32x4Const(127).i32x4Add().i32Const(23).i32x4Shl().localSet(k);
  // (s − 1) + s·q
  c.localGet(k).f32x4Const(1).f32x4Sub().localGet(k).localGet(q).f32x4Mul().f32x4Add();
}

/** Appends selu of the v128 local `z` to `c`, leaving it on the stack; `v`, `k`, `r`, `q` are v128 scratch. */
function selu4(c: WasmCode, z: number, v: number, k: number, r: number, q: number): void {
  expm1Negative(c, z, v, k, r, q);
  c.f32x4Const(tf.backend_util.SELU_SCALEALPHA).f32x4Mul().localSet(v);
  // bitselect(λz, λα(e^z − 1), z ≥ 0): −0 takes λ·(−0) = −0, NaN the exponential side.
  c.localGet(z).f32x4Const(tf.backend_util.SELU_SCALE).f32x4Mul().localGet(v).localGet(z).f32x4Const(0).f32x4Ge().v128Bitselect();
}

/**
 * An element-wise function over rows: params (x, bias, out, n, m) as byte addresses and counts; for
 * each of the n rows of m float32 values, z = x (+ bias, when `withBias`), out = `apply(z)`; x and
 * out may be the same. Four lanes at a time, the m mod 4 last values of a row through the same
 * code on a splat.
 */
function rowsFunction(name: string, withBias: boolean, apply: (c: WasmCode, z: number, v: number, k: number, r: number, q: number) => void): WasmFunction {
  const [x, bias, out, n, m] = [0, 1, 2, 3, 4];
  const [row, j, rowBytes, vecBytes, rowStart] = [5, 6, 7, 8, 9];
  const [z, v, k, r, q] = [10, 11, 12, 13, 14];
  const c = new WasmCode();
  const zAt = (load: (c: WasmCode) => WasmCode) => {
    load(c.localGet(x).localGet(rowStart).i32Add().localGet(j).i32Add());
    if (withBias) load(c.localGet(bias).localGet(j).i32Add());
  };
  c.localGet(m).i32Const(2).i32Shl().localSet(rowBytes);
  c.localGet(m).i32Const(-4).i32And().i32Const(2).i32Shl().localSet(vecBytes);
  c.block().localGet(n).i32Eqz().brIf(0);
  c.loop();
  {
    c.i32Const(0).localSet(j);
    c.block().loop();
    {
      c.localGet(j).localGet(vecBytes).i32GeU().brIf(1);
      zAt((cc) => cc.v128Load());
      if (withBias) c.f32x4Add();
      c.localSet(z);
      c.localGet(out).localGet(rowStart).i32Add().localGet(j).i32Add();
      apply(c, z, v, k, r, q);
      c.v128Store();
      c.localGet(j).i32Const(16).i32Add().localSet(j).br(0);
    }
    c.end().end();
    c.block().loop();
    {
      c.localGet(j).localGet(rowBytes).i32GeU().brIf(1);
      zAt((cc) => cc.f32Load());
      if (withBias) c.f32Add();
      c.f32x4Splat().localSet(z);
      c.localGet(out).localGet(rowStart).i32Add().localGet(j).i32Add();
      apply(c, z, v, k, r, q);
      c.f32x4ExtractLane(0).f32Store();
      c.localGet(j).i32Const(4).i32Add().localSet(j).br(0);
    }
    c.end().end();
    c.localGet(rowStart).localGet(rowBytes).i32Add().localSet(rowStart);
    c.localGet(row).i32Const(1).i32Add().localTee(row).localGet(n).i32LtU().brIf(0);
  }
  c.end().end();
  return { name, params: [I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128, V128], body: c };
}

/** i8x16.shuffle lanes picking 32-bit lanes (0–3 of the first operand, 4–7 of the second). */
function lanes32(picks: readonly number[]): number[] {
  return picks.flatMap((q) => [4 * q, 4 * q + 1, 4 * q + 2, 4 * q + 3]);
}

/**
 * seluGrad(dy, y, dz, dzT, acc, db, n, m): for y, dy [n, m] float32, writes dz = dy·(λ where
 * y > 0, else y + λα) [n, m], its transpose dzT [m, n] unless dzT is 0, and db [m] = Σ_rows dz
 * accumulated in float64 in `acc` (m float64 of scratch), rows in order as the Sum kernel adds.
 * The rows go by blocks of 16 and, within a block, column group by column group of 4 (4 rows at
 * a time): each 4 × 4 tile of dz is transposed in registers and written to dzT as 4 vectors, and
 * a block fills each 64-byte line of dzT in consecutive writes. (Column by column, the 64 lines a
 * row writes are n·4 bytes apart, a power of two at n = 512, and fall into two cache sets.)
 * The last m mod 4 columns and n mod 4 rows run one value at a time.
 */
function seluGradFunction(): WasmFunction {
  const [dy, y, dz, dzT, acc, db, n, m] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [blockStart, blockEnd, i, j, rowBytes, vecBytes, rowStart, colStride, n4, addr, t] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const g = [19, 20, 21, 22];
  const [yv, t0, t1, t2, t3] = [23, 24, 25, 26, 27];
  const [gs, ys] = [28, 29];
  const scale = tf.backend_util.SELU_SCALE;
  // λα as a float32 head and tail: y + λα cancels where y nears −λα, and (y + head) is then exact
  // (Sterbenz), so adding the tail keeps the slope within an ulp of the float64 y + λα.
  const alphaHead = Math.fround(tf.backend_util.SELU_SCALEALPHA);
  const alphaTail = tf.backend_util.SELU_SCALEALPHA - alphaHead;
  const c = new WasmCode();
  // The column sum of lane pair (j/4, j/4 + 1) sits at acc + 2j bytes.
  const accAt = () => c.localGet(acc).localGet(j).i32Const(1).i32Shl().i32Add();
  const forRange = (index: number, from: () => void, to: number, stepBytes: number, body: () => void) => loop(c, index, from, to, stepBytes, body);

  c.localGet(m).i32Const(2).i32Shl().localSet(rowBytes);
  c.localGet(m).i32Const(-4).i32And().i32Const(2).i32Shl().localSet(vecBytes);
  c.localGet(n).i32Const(2).i32Shl().localSet(colStride);
  c.localGet(n).i32Const(-4).i32And().localSet(n4);
  // acc = 0
  forRange(j, () => c.i32Const(0), rowBytes, 4, () => accAt().f64Const(0).f64Store());

  // Rows [0, n4) × columns [0, m − m mod 4), four by four.
  forRange(blockStart, () => c.i32Const(0), n4, 16, () => {
    // blockEnd = min(blockStart + 16, n4)
    c.localGet(blockStart).i32Const(16).i32Add().localGet(n4).localGet(blockStart).i32Const(16).i32Add().localGet(n4).i32LtU().select().localSet(blockEnd);
    forRange(j, () => c.i32Const(0), vecBytes, 16, () => {
      forRange(i, () => c.localGet(blockStart), blockEnd, 4, () => {
        c.localGet(i).localGet(rowBytes).i32Mul().localGet(j).i32Add().localSet(addr);
        for (let a = 0; a < 4; a++) {
          if (a > 0) c.localGet(addr).localGet(rowBytes).i32Add().localSet(addr);
          c.localGet(y).localGet(addr).i32Add().v128Load().localSet(yv);
          // g = dy · bitselect(λ, (y + head) + tail, y > 0)
          c.localGet(dz).localGet(addr).i32Add();
          c.localGet(dy).localGet(addr).i32Add().v128Load();
          c.f32x4Const(scale).localGet(yv).f32x4Const(alphaHead).f32x4Add().f32x4Const(alphaTail).f32x4Add().localGet(yv).f32x4Const(0).f32x4Gt().v128Bitselect();
          c.f32x4Mul().localTee(g[a]!).v128Store();
        }
        // acc[j/4 .. j/4 + 1] += lanes 0, 1 of each row in order; acc[j/4 + 2 .. j/4 + 3] += lanes 2, 3
        accAt();
        accAt().v128Load();
        for (const ga of g) c.localGet(ga).f64x2PromoteLowF32x4().f64x2Add();
        c.v128Store();
        accAt();
        accAt().v128Load(16);
        for (const ga of g) c.localGet(ga).localGet(ga).i8x16Shuffle(lanes32([2, 3, 0, 1])).f64x2PromoteLowF32x4().f64x2Add();
        c.v128Store(16);
        // dzT[j/4 + l][i .. i + 3] = column l of the 4 × 4 tile
        c.localGet(dzT).i32Eqz().i32Eqz().if();
        {
          c.localGet(g[0]!).localGet(g[1]!).i8x16Shuffle(lanes32([0, 4, 1, 5])).localSet(t0);
          c.localGet(g[2]!).localGet(g[3]!).i8x16Shuffle(lanes32([0, 4, 1, 5])).localSet(t1);
          c.localGet(g[0]!).localGet(g[1]!).i8x16Shuffle(lanes32([2, 6, 3, 7])).localSet(t2);
          c.localGet(g[2]!).localGet(g[3]!).i8x16Shuffle(lanes32([2, 6, 3, 7])).localSet(t3);
          c.localGet(dzT).localGet(j).localGet(n).i32Mul().i32Add().localGet(i).i32Const(2).i32Shl().i32Add().localSet(t);
          const tiles: [number, number, number[]][] = [[t0, t1, [0, 1, 4, 5]], [t0, t1, [2, 3, 6, 7]], [t2, t3, [0, 1, 4, 5]], [t2, t3, [2, 3, 6, 7]]];
          tiles.forEach(([p, q, picks], l) => {
            if (l > 0) c.localGet(t).localGet(colStride).i32Add().localSet(t);
            c.localGet(t).localGet(p).localGet(q).i8x16Shuffle(lanes32(picks)).v128Store();
          });
        }
        c.end();
      });
    });
  });

  // One value: row i, column byte j.
  const cell = () => {
    c.localGet(rowStart).localGet(j).i32Add().localSet(addr);
    c.localGet(y).localGet(addr).i32Add().f32Load().localSet(ys);
    c.localGet(dz).localGet(addr).i32Add();
    c.localGet(dy).localGet(addr).i32Add().f32Load();
    c.f32Const(scale).localGet(ys).f32Const(alphaHead).f32Add().f32Const(alphaTail).f32Add().localGet(ys).f32Const(0).f32Gt().select();
    c.f32Mul().localTee(gs).f32Store();
    accAt();
    accAt().f64Load().localGet(gs).f64PromoteF32().f64Add().f64Store();
    c.localGet(dzT).i32Eqz().i32Eqz().if();
    c.localGet(dzT).localGet(j).localGet(n).i32Mul().i32Add().localGet(i).i32Const(2).i32Shl().i32Add().localGet(gs).f32Store();
    c.end();
  };
  const region = (rowsFrom: () => void, rowsTo: number, colsFrom: () => void, colsTo: number) =>
    forRange(i, rowsFrom, rowsTo, 1, () => {
      c.localGet(i).localGet(rowBytes).i32Mul().localSet(rowStart);
      forRange(j, colsFrom, colsTo, 4, cell);
    });
  // The last m mod 4 columns of rows [0, n4), then every column of the last n mod 4 rows: each
  // column still sums its rows in order.
  region(() => c.i32Const(0), n4, () => c.localGet(vecBytes), rowBytes);
  region(() => c.localGet(n4), n, () => c.i32Const(0), rowBytes);

  // db = float32(acc)
  forRange(j, () => c.i32Const(0), rowBytes, 4, () => {
    c.localGet(db).localGet(j).i32Add();
    accAt().f64Load().f32DemoteF64().f32Store();
  });
  const locals: ValueType[] = [...Array<ValueType>(11).fill(I32), ...Array<ValueType>(9).fill(V128), F32, F32];
  return { name: 'seluGrad', params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [], locals, body: c };
}

/**
 * The module's bytes: `selu(x, bias, out, n, m)` (bias unused), `seluBias(x, bias, out, n, m)`,
 * `expm1Negative(x, bias, out, n, m)` (e^z − 1 of z clamped to [−87, 0]; for tests of its
 * accuracy), `seluGrad(dy, y, dz, dzT, acc, db, n, m)` and the tangent-slope loops of a CNF's
 * trace (tangent-slope-simd.ts) for selu and relu; the memory imported as `env.memory`,
 * `shared` for a threaded build's memory.
 */
export function seluSimdModuleBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule({
    sharedMemory,
    functions: [
      rowsFunction('selu', false, selu4),
      rowsFunction('seluBias', true, selu4),
      rowsFunction('expm1Negative', false, expm1Negative),
      seluGradFunction(),
      tangentSlopeFunction('selu'),
      tangentSlopeFunction('relu'),
      tangentSlopeGradFunction('selu'),
      tangentSlopeGradFunction('relu'),
    ],
  });
}
