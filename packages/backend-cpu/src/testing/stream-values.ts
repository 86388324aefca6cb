// Test inputs without a random-number generator: the same numbers on every run and backend.

/** n numbers in [−scale, scale) from a fixed linear congruential stream. */
export function streamValues(n: number, seed: number, scale = 1): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 31 - 1) * scale;
  });
}
