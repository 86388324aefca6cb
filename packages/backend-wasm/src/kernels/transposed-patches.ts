// im2col, transposed: the patches of a batch of images laid out one row per filter tap,
//   cols[(kh·KW + kw)·CI + ci, p] = x[b, oy·sh + kh·dh − top, ox·sw + kw·dw − left, ci],
//   p = ((b − firstImage)·OH + oy)·OW + ox,   0 outside the image,
// so that the filter gradient of a convolution is the plain product cols · dy ([KH·KW·CI, P] ·
// [P, CO]) with no transpose to materialise (the unfolding of Chellapilla, Puri and Simard 2006,
// "High performance convolutional neural networks for document processing", §2). x is read
// channels-first ([CI, N, H, W]): each row of cols is then a shifted copy of one channel plane.
// With a column stride of 1 the rows of one image are copied as runs (copy-rows.ts); when the
// output rows are as long as the input rows they are read ('same' padding, row stride 1) the
// whole image is one run read at a constant offset, copied by one `set`, and only the few
// values that wrapped around a row edge are zeroed afterwards; when the output is also as tall
// as the input (stride 1, 'same' padding), the runs of all the images of a group join into one
// `set` per row of cols. Other strides copy value by value.
import type { Conv2dGeometry } from './conv2d-geometry.js';
import { copyRows } from './copy-rows.js';

/**
 * Writes the transposed patches of images `firstImage` to `firstImage + images − 1` of
 * `planes` (the input as [CI, N, H, W], row-major) into `cols` ([KH·KW·CI, images·OH·OW],
 * row-major), zeros included.
 */
export function writeTransposedPatches(cols: Float32Array, planes: Float32Array, g: Conv2dGeometry, firstImage: number, images: number): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = g;
  const columns = images * OH * OW;
  for (let kh = 0; kh < KH; kh++) {
    // The output rows oy whose tap lands inside the image: oy·sh + kh·dh − top ∈ [0, H).
    const rowShift = kh * dh - g.padTop;
    const top = Math.min(OH, Math.max(0, Math.ceil(-rowShift / sh)));
    const bottom = Math.max(top, Math.min(OH, Math.floor((H - 1 - rowShift) / sh) + 1));
    for (let kw = 0; kw < KW; kw++) {
      // The output columns ox whose tap lands inside the image: ox·sw + kw·dw − left ∈ [0, W).
      const shift = kw * dw - g.padLeft;
      const lo = Math.min(OW, Math.max(0, Math.ceil(-shift / sw)));
      const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 - shift) / sw) + 1));
      const taps: TapRange = { top, bottom, lo, hi, rowShift, shift };
      // Stride 1 with output and input of one size ('same' padding): image b's block of a row
      // reads image b at one offset for every image, so the images' runs join into one.
      const joined = sw === 1 && sh === 1 && OW === W && OH === H && top < bottom && lo < hi;
      for (let ci = 0; ci < C; ci++) {
        const row = ((kh * KW + kw) * C + ci) * columns;
        if (joined) {
          const from = ((ci * N + firstImage) * H + top + rowShift) * W + lo + shift;
          const to = row + top * OW + lo;
          cols.set(planes.subarray(from, from + (images - 1) * OH * OW + (bottom - top - 1) * OW + (hi - lo)), to);
        }
        for (let image = 0; image < images; image++) {
          const at = row + image * OH * OW;
          const plane = (ci * N + firstImage + image) * H * W;
          // Rows of the output whose tap falls above or below the image.
          cols.fill(0, at, at + top * OW);
          cols.fill(0, at + bottom * OW, at + OH * OW);
          if (top === bottom) continue;
          if (joined) zeroEdges(cols, at, OW, taps);
          else if (sw === 1) copyImageRuns(cols, at, planes, plane, g, taps);
          else copyImageStrided(cols, at, planes, plane, g, taps);
        }
      }
    }
  }
}

/** The output rows [top, bottom) and columns [lo, hi) of one tap that read inside the image, and the tap's offsets. */
interface TapRange {
  top: number;
  bottom: number;
  lo: number;
  hi: number;
  rowShift: number;
  shift: number;
}

/** Column stride 1: rows [top, bottom) of one image's block, each a contiguous run of the input. */
function copyImageRuns(cols: Float32Array, at: number, planes: Float32Array, plane: number, g: Conv2dGeometry, t: TapRange): void {
  const { inWidth: W, outWidth: OW, strideHeight: sh } = g;
  const rows = t.bottom - t.top;
  const width = t.hi - t.lo;
  const from = plane + (t.top * sh + t.rowShift) * W + t.lo + t.shift;
  const to = at + t.top * OW + t.lo;
  if (width > 0 && sh * W === OW) {
    // Input and output rows have one length: the block is one run at a constant offset, from
    // the first value read to the last (both inside the image); what lies between the rows'
    // runs is zeroed below.
    cols.set(planes.subarray(from, from + (rows - 1) * OW + width), to);
  } else if (width > 0) {
    copyRows({ values: planes, offset: from, stride: sh * W }, { values: cols, offset: to, stride: OW }, rows, width);
  }
  zeroEdges(cols, at, OW, t);
}

/** Column stride above 1: value by value. */
function copyImageStrided(cols: Float32Array, at: number, planes: Float32Array, plane: number, g: Conv2dGeometry, t: TapRange): void {
  const { inWidth: W, outWidth: OW, strideHeight: sh, strideWidth: sw } = g;
  for (let oy = t.top; oy < t.bottom; oy++) {
    const start = at + oy * OW;
    let from = plane + (oy * sh + t.rowShift) * W + t.lo * sw + t.shift;
    for (let ox = t.lo; ox < t.hi; ox++, from += sw) cols[start + ox] = planes[from] as number;
  }
  zeroEdges(cols, at, OW, t);
}

/** Zeros columns [0, lo) and [hi, OW) of output rows [top, bottom): the taps left or right of the image. */
function zeroEdges(cols: Float32Array, at: number, OW: number, t: TapRange): void {
  if (t.lo === 0 && t.hi === OW) return;
  for (let oy = t.top; oy < t.bottom; oy++) {
    const start = at + oy * OW;
    for (let ox = 0; ox < t.lo; ox++) cols[start + ox] = 0;
    for (let ox = t.hi; ox < OW; ox++) cols[start + ox] = 0;
  }
}
