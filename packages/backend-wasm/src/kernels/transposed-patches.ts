// im2col, transposed: the patches of a batch of images laid out one row per filter tap,
//   cols[(kh·KW + kw)·CI + ci, p] = x[b, oy·sh + kh·dh − top, ox·sw + kw·dw − left, ci],
//   p = ((b − firstImage)·OH + oy)·OW + ox,   0 outside the image,
// so that the filter gradient of a convolution is the plain product cols · dy ([KH·KW·CI, P] ·
// [P, CO]) with no transpose to materialise (the unfolding of Chellapilla, Puri and Simard 2006,
// "High performance convolutional neural networks for document processing", §2). x is read
// channels-first ([CI, N, H, W]): each row of cols is then a shifted copy of one channel plane,
// read and written in memory order.
import type { Conv2dGeometry } from './conv2d-geometry.js';

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
    for (let kw = 0; kw < KW; kw++) {
      // The output columns ox whose tap lands inside the image: ox·sw + kw·dw − left ∈ [0, W).
      const shift = kw * dw - g.padLeft;
      const lo = Math.min(OW, Math.max(0, Math.ceil(-shift / sw)));
      const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 - shift) / sw) + 1));
      for (let ci = 0; ci < C; ci++) {
        let at = ((kh * KW + kw) * C + ci) * columns;
        const plane = (ci * N + firstImage) * H * W;
        for (let image = 0; image < images; image++) {
          for (let oy = 0; oy < OH; oy++, at += OW) {
            const iy = oy * sh + kh * dh - g.padTop;
            if (iy < 0 || iy >= H) {
              for (let ox = 0; ox < OW; ox++) cols[at + ox] = 0;
              continue;
            }
            for (let ox = 0; ox < lo; ox++) cols[at + ox] = 0;
            let from = plane + (image * H + iy) * W + lo * sw + shift;
            if (sw === 1) {
              for (let ox = lo; ox < hi; ox++, from++) cols[at + ox] = planes[from] as number;
            } else {
              for (let ox = lo; ox < hi; ox++, from += sw) cols[at + ox] = planes[from] as number;
            }
            for (let ox = hi; ox < OW; ox++) cols[at + ox] = 0;
          }
        }
      }
    }
  }
}
