// A seeded, splittable random number generator.
// Stream: xoshiro128** (Blackman & Vigna, 2018) seeded through splitmix32; `fold(i)` and
// `split(k)` derive independent child streams from the key alone (JAX's fold_in idea),
// so "the numbers of step i" never depend on how many numbers earlier steps drew.
import * as tf from '@tensorflow/tfjs-core';

/** A seeded random stream. The same seed gives the same numbers, on every backend. */
export interface Rng {
  /** The 32-bit key this stream was made from. */
  readonly key: number;
  /** Next float in [0, 1). */
  next(): number;
  /** `n` floats uniform in [lo, hi). */
  uniformArray(n: number, lo?: number, hi?: number): Float32Array;
  /** `n` standard normal floats (Box–Muller). */
  normalArray(n: number): Float32Array;
  /** An integer uniform in {0, …, maxExclusive − 1}. */
  int(maxExclusive: number): number;
  /** A uniformly random permutation of {0, …, n − 1} (Fisher–Yates). */
  permutation(n: number): Int32Array;
  /** A tensor of uniform draws in [lo, hi). */
  uniform(shape: number[], lo?: number, hi?: number): tf.Tensor;
  /** A tensor of standard normal draws. */
  normal(shape: number[]): tf.Tensor;
  /** An independent stream keyed by (this key, i); does not advance this stream. */
  fold(i: number): Rng;
  /** `k` independent streams; does not advance this stream. */
  split(k: number): Rng[];
}

function mix32(x: number): number {
  // splitmix32 finaliser (a bijection on 32-bit integers).
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

class Xoshiro128 implements Rng {
  readonly key: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(key: number) {
    this.key = key >>> 0;
    this.s0 = mix32(this.key);
    this.s1 = mix32(this.s0 ^ 0x632be5ab);
    this.s2 = mix32(this.s1 ^ 0x85157af5);
    this.s3 = mix32(this.s2 ^ 0x1b873593);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  private nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  next(): number {
    // 53 random bits → a double in [0, 1).
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  uniformArray(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    const width = hi - lo;
    for (let i = 0; i < n; i++) out[i] = lo + width * this.next();
    return out;
  }

  private gaussian(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  normalArray(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.gaussian();
    return out;
  }

  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`rng.int: maxExclusive must be a positive integer, got ${maxExclusive}`);
    }
    return Math.floor(this.next() * maxExclusive);
  }

  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  uniform(shape: number[], lo = 0, hi = 1): tf.Tensor {
    return tf.tensor(this.uniformArray(sizeOf(shape), lo, hi), shape, 'float32');
  }

  normal(shape: number[]): tf.Tensor {
    return tf.tensor(this.normalArray(sizeOf(shape)), shape, 'float32');
  }

  fold(i: number): Rng {
    return new Xoshiro128(mix32(mix32(this.key ^ 0x5bd1e995) ^ (i >>> 0)) ^ Math.floor(i / 4294967296));
  }

  split(k: number): Rng[] {
    return Array.from({ length: k }, (_, i) => this.fold(0x7fff0000 + i));
  }
}

function sizeOf(shape: number[]): number {
  let s = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`invalid shape [${shape.join(', ')}]`);
    s *= d;
  }
  return s;
}

/** Creates a seeded random stream. `seed` is any integer (taken modulo 2^32). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new RangeError(`seed must be an integer, got ${seed}`);
  }
  return new Xoshiro128(seed >>> 0);
}
