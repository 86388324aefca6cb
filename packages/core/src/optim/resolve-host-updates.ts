import type { Updates } from './gradient-transformation.js';

const f32 = Math.fround;

/**
 * One float32 array per variable from host `updates`, rounded as {@link resolveUpdates} rounds on
 * tensors. A single term of scale 1 is returned as it is: read it, never write into it.
 */
export function resolveHostUpdates(updates: Updates<Float32Array>): Float32Array[] {
  if (updates.length === 0) throw new RangeError('resolveHostUpdates: "updates" has no terms, expected at least one');
  if (updates.length === 1 && updates[0]!.scale === 1) return [...updates[0]!.values];
  return updates[0]!.values.map((_, i) => {
    const out = new Float32Array(updates[0]!.values[i]!.length);
    updates.forEach((term, k) => {
      const a = term.values[i]!;
      const s = f32(term.scale);
      for (let j = 0; j < out.length; j++) {
        const v = term.scale === 1 ? a[j]! : f32(a[j]! * s);
        out[j] = k === 0 ? v : f32(out[j]! + v);
      }
    });
    return out;
  });
}
