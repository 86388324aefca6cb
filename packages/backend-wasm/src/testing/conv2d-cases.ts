// Test-only: seeded random convolution settings for the cpu-vs-wasm conformance tests of the
// convolution gradient kernels, and the plain float64 loops they are checked against where the
// cpu backend cannot serve (it ignores dilations in its gradient kernels).
import type * as tf from '@tensorflow/tfjs-core';

/** One convolution: NHWC input and filter shapes, strides, padding and dilations, as tf.conv2d takes them. */
export interface Conv2dCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dilations: [number, number];
}

/** A generator of integers in [lo, hi] from a 32-bit linear congruential sequence (Numerical Recipes' constants). */
function integers(seed: number): (lo: number, hi: number) => number {
  let state = seed >>> 0;
  return (lo, hi) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return lo + (state % (hi - lo + 1));
  };
}

/**
 * `count` convolutions drawn from `seed`: batch 1-3, height and width 4-11, 1-5 input and 1-6
 * output channels, filters 1×1 to 4×4 (never larger than the input), strides 1-3 on each axis,
 * padding 'same', 'valid', a number or explicit [[0, 0], [t, b], [l, r], [0, 0]] with 0-2 per
 * side; with `dilated`, dilations 1-3 and strides 1 (tfjs allows one or the other above 1).
 */
export function randomConv2dCases(seed: number, count: number, options: { dilated?: boolean } = {}): Conv2dCase[] {
  const draw = integers(seed);
  const cases: Conv2dCase[] = [];
  while (cases.length < count) {
    const height = draw(4, 11);
    const width = draw(4, 11);
    const dilations: [number, number] = options.dilated ? [draw(1, 3), draw(1, 3)] : [1, 1];
    const strides: [number, number] = options.dilated ? [1, 1] : [draw(1, 3), draw(1, 3)];
    const kh = draw(1, 4);
    const kw = draw(1, 4);
    const kind = draw(0, 3);
    const pad: Conv2dCase['pad'] =
      kind === 0 ? 'same' : kind === 1 ? 'valid' : kind === 2 ? draw(0, 2) : [[0, 0], [draw(0, 2), draw(0, 2)], [draw(0, 2), draw(0, 2)], [0, 0]];
    // Skip settings whose output would be empty (a 'valid' filter wider than the input).
    const spanH = (kh - 1) * dilations[0] + 1;
    const spanW = (kw - 1) * dilations[1] + 1;
    const extra = pad === 'valid' ? [0, 0] : pad === 'same' ? [spanH, spanW] : typeof pad === 'number' ? [2 * pad, 2 * pad] : [pad[1][0] + pad[1][1], pad[2][0] + pad[2][1]];
    if (height + (extra[0] as number) < spanH || width + (extra[1] as number) < spanW) continue;
    cases.push({ x: [draw(1, 3), height, width, draw(1, 5)], filter: [kh, kw, 0, draw(1, 6)], strides, pad, dilations });
    const last = cases[cases.length - 1] as Conv2dCase;
    last.filter[2] = last.x[3];
  }
  return cases;
}

/** Readable label of a case for assertion messages. */
export function describeConv2dCase(c: Conv2dCase): string {
  return `x [${c.x}] filter [${c.filter}] strides [${c.strides}] pad ${JSON.stringify(c.pad)} dilations [${c.dilations}]`;
}

/** Offsets of a convolution as tfjs computes them (top and left padding, output size). */
export interface ConvOffsets {
  padTop: number;
  padLeft: number;
  outHeight: number;
  outWidth: number;
}

/**
 * The filter gradient in float64, straight from its definition:
 *   dw[kh, kw, ci, co] = Σ_{b, oy, ox} x[b, oy·sh + kh·dh − top, ox·sw + kw·dw − left, ci] · dy[b, oy, ox, co].
 */
export function referenceFilterGradient(x: Float32Array, dy: Float32Array, c: Conv2dCase, o: ConvOffsets): Float64Array {
  const [N, H, W, CI] = c.x;
  const [KH, KW, , CO] = c.filter;
  const out = new Float64Array(KH * KW * CI * CO);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++)
      for (let ci = 0; ci < CI; ci++)
        for (let co = 0; co < CO; co++) {
          let sum = 0;
          for (let b = 0; b < N; b++)
            for (let oy = 0; oy < o.outHeight; oy++) {
              const iy = oy * c.strides[0] + kh * c.dilations[0] - o.padTop;
              if (iy < 0 || iy >= H) continue;
              for (let ox = 0; ox < o.outWidth; ox++) {
                const ix = ox * c.strides[1] + kw * c.dilations[1] - o.padLeft;
                if (ix < 0 || ix >= W) continue;
                sum += (x[((b * H + iy) * W + ix) * CI + ci] as number) * (dy[((b * o.outHeight + oy) * o.outWidth + ox) * CO + co] as number);
              }
            }
          out[((kh * KW + kw) * CI + ci) * CO + co] = sum;
        }
  return out;
}

/**
 * The input gradient in float64, straight from its definition:
 *   dx[b, iy, ix, ci] = Σ dy[b, oy, ox, co] · w[kh, kw, ci, co] over iy = oy·sh + kh·dh − top, ix = ox·sw + kw·dw − left.
 */
export function referenceInputGradient(dy: Float32Array, w: Float32Array, c: Conv2dCase, o: ConvOffsets): Float64Array {
  const [N, H, W, CI] = c.x;
  const [KH, KW, , CO] = c.filter;
  const out = new Float64Array(N * H * W * CI);
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < o.outHeight; oy++)
      for (let ox = 0; ox < o.outWidth; ox++)
        for (let kh = 0; kh < KH; kh++) {
          const iy = oy * c.strides[0] + kh * c.dilations[0] - o.padTop;
          if (iy < 0 || iy >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ix = ox * c.strides[1] + kw * c.dilations[1] - o.padLeft;
            if (ix < 0 || ix >= W) continue;
            for (let ci = 0; ci < CI; ci++)
              for (let co = 0; co < CO; co++) {
                const at = ((b * H + iy) * W + ix) * CI + ci;
                out[at] = (out[at] as number) + (dy[((b * o.outHeight + oy) * o.outWidth + ox) * CO + co] as number) * (w[((kh * KW + kw) * CI + ci) * CO + co] as number);
              }
          }
        }
  return out;
}

/** tfjs's own padding and output size for a case (backend_util.computeConv2DInfo). */
export function convOffsets(tfjs: typeof tf, c: Conv2dCase): ConvOffsets {
  const info = tfjs.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad);
  return { padTop: info.padInfo.top, padLeft: info.padInfo.left, outHeight: info.outHeight, outWidth: info.outWidth };
}
