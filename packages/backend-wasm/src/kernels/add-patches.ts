// col2im: the adjoint of im2col. Each row p = ((b − firstImage)·OH + oy)·OW + ox of
// cols ([P, KH·KW·CI]) holds one value per filter tap and input channel; it is added back at
// the input position it was read from by the forward convolution,
//   dx[b, oy·sh + kh·dh − top, ox·sw + kw·dw − left, ci] += cols[p, (kh·KW + kw)·CI + ci],
// taps that fall outside the image dropped. With cols = dy · wᵀ this is the input gradient of
// the convolution (Chellapilla, Puri and Simard 2006, §2, run backwards).
import type { Conv2dGeometry } from './conv2d-geometry.js';

/** Adds the patches `cols` of images `firstImage` to `firstImage + images − 1` into `dx` (NHWC, [N, H, W, CI]). */
export function addPatches(dx: Float32Array, cols: Float32Array, g: Conv2dGeometry, firstImage: number, images: number): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = g;
  const taps = KH * KW * C;
  for (let image = 0; image < images; image++) {
    const b = firstImage + image;
    for (let oy = 0; oy < OH; oy++) {
      for (let kh = 0; kh < KH; kh++) {
        const iy = oy * sh + kh * dh - g.padTop;
        if (iy < 0 || iy >= H) continue;
        const inputRow = (b * H + iy) * W;
        for (let ox = 0; ox < OW; ox++) {
          let from = ((image * OH + oy) * OW + ox) * taps + kh * KW * C;
          for (let kw = 0; kw < KW; kw++, from += C) {
            const ix = ox * sw + kw * dw - g.padLeft;
            if (ix < 0 || ix >= W) continue;
            const to = (inputRow + ix) * C;
            for (let ci = 0; ci < C; ci++) dx[to + ci] = (dx[to + ci] as number) + (cols[from + ci] as number);
          }
        }
      }
    }
  }
}
