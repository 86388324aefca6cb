import { describe, expect, it } from 'vitest';
import { relativeL2Error } from './relative-l2-error.js';

describe('relativeL2Error', () => {
  it('is ‖a − b‖ / ‖b‖, zero on equal vectors, infinite on different lengths', () => {
    expect(relativeL2Error([3, 4], [3, 4])).toBe(0);
    // a − b = (1, 0), ‖b‖ = 5.
    expect(relativeL2Error([4, 4], [3, 4])).toBeCloseTo(0.2, 15);
    expect(relativeL2Error(new Float32Array([0, 0, 2]), [0, 0, 1])).toBe(1);
    expect(relativeL2Error([1, 2], [1, 2, 3])).toBe(Infinity);
  });
});
