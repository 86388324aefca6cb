// The grid layout the page draws images with: tile places, gutter, grey and RGB, clipping, errors.
import { describe, expect, it } from 'vitest';
import { imageGridPixels } from '../src/ui/image-grid-pixels.js';

const at = (p: ReturnType<typeof imageGridPixels>, x: number, y: number) => Array.from(p.pixels.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4));

describe('imageGridPixels', () => {
  it('places grey image k at grid row ⌊k / columns⌋, column k mod columns, with a grey gutter', () => {
    // 5 images of 2 × 3 (h × w), pixel (y, x) of image k = (10k + 3y + x) / 255.
    const values = Float32Array.from({ length: 5 * 6 }, (_, i) => (10 * Math.floor(i / 6) + (i % 6)) / 255);
    const p = imageGridPixels({ rows: 5, cols: 6, values, shape: [2, 3, 1] });
    expect([p.columns, p.gutter, p.width, p.height]).toEqual([3, 1, 3 * 3 + 4, 2 * 2 + 3]);
    expect(at(p, 0, 0)).toEqual([128, 128, 128, 255]);
    for (let k = 0; k < 5; k++) {
      const top = 1 + Math.floor(k / 3) * 3;
      const left = 1 + (k % 3) * 4;
      expect(at(p, left + 2, top + 1), `image ${k}`).toEqual([10 * k + 5, 10 * k + 5, 10 * k + 5, 255]);
    }
    // The sixth tile does not exist: gutter grey.
    expect(at(p, 1 + 2 * 4, 1 + 3)).toEqual([128, 128, 128, 255]);
  });

  it('copies RGB channels, clips to [0, 1] and draws NaN as 0; count draws the first images only', () => {
    const values = Float32Array.from([0.2, -1, 2, NaN, 1, 0.5, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9]);
    const p = imageGridPixels({ rows: 2, cols: 6, values, shape: [1, 2, 3] }, { count: 1 });
    expect([p.columns, p.width, p.height]).toEqual([1, 4, 3]);
    expect(at(p, 1, 1)).toEqual([51, 0, 255, 255]);
    expect(at(p, 2, 1)).toEqual([0, 255, 128, 255]);
  });

  it('refuses a shape that does not describe the rows, 2 channels, and a count above the rows, naming them', () => {
    const values = new Float32Array(12);
    expect(() => imageGridPixels({ rows: 2, cols: 6, values, shape: [2, 2, 1] })).toThrow(
      'image grid: shape must be [h, w, c] with c = 1 (grey) or 3 (RGB) and h·w·c = 6, got [2, 2, 1]',
    );
    expect(() => imageGridPixels({ rows: 2, cols: 6, values, shape: [1, 3, 2] })).toThrow('got [1, 3, 2]');
    expect(() => imageGridPixels({ rows: 2, cols: 6, values, shape: [2, 3, 1] }, { count: 3 })).toThrow(
      'image grid: count must be an integer from 0 to 2 (the rows given), got 3',
    );
  });
});
