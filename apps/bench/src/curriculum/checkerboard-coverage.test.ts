import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { checkerboardCoverage, CHECKERBOARD_SQUARES } from './checkerboard-coverage.js';
import { sampleCurriculumTarget } from './curriculum-targets.js';

describe('checkerboardCoverage', () => {
  it('the 8 black squares are those with i + j even', () => {
    expect(CHECKERBOARD_SQUARES.map(([i, j]) => `${i},${j}`)).toEqual(['-2,-2', '-2,0', '-1,-1', '-1,1', '0,-2', '0,0', '1,-1', '1,1']);
  });

  it('a sample of the target lies on black squares only and covers all 8', () => {
    const c = checkerboardCoverage(sampleCurriculumTarget('checkerboard', 4000, createRng(3)));
    expect(c).toEqual({ covered: 8, reached: 8, modes: 8, highQuality: 1, nonFinite: 0 });
  });

  it('counts a collapsed sample, a sample on white squares, a blurred one and non-finite points as such', () => {
    // All at the centre of the black square [0, 2]²: one square covered, every sample high quality.
    const collapsed = new Float32Array(800).fill(1);
    expect(checkerboardCoverage(collapsed)).toMatchObject({ covered: 1, reached: 1, highQuality: 1 });
    // The centres of the 8 white squares, 100 points each: nothing on black, nothing within half a side.
    const white = [-2, -1, 0, 1].flatMap((i) => [-2, -1, 0, 1].filter((j) => (i + j) % 2 !== 0).map((j) => [2 * i + 1, 2 * j + 1]));
    const onWhite = Float32Array.from({ length: 1600 }, (_, k) => white[Math.floor(k / 200)]![k % 2]!);
    expect(checkerboardCoverage(onWhite)).toMatchObject({ covered: 0, reached: 0, highQuality: 0 });
    // Each black square's points 0.4 (a fifth of a side) off its left edge: reached, not covered.
    const blurred = Float32Array.from({ length: 1600 }, (_, k) => {
      const [i, j] = CHECKERBOARD_SQUARES[Math.floor(k / 200)]!;
      return k % 2 === 0 ? 2 * i - 0.4 : 2 * j + 1;
    });
    expect(checkerboardCoverage(blurred)).toMatchObject({ covered: 0, reached: 8, highQuality: 0 });
    const broken = Float32Array.from([Number.NaN, 0, 1, 1]);
    expect(checkerboardCoverage(broken)).toMatchObject({ nonFinite: 1, highQuality: 0.5 });
  });
});
