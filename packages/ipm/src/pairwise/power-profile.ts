// κ(r²) = sign · (r²)^{β/2} = sign · ‖x − y‖^β with slope sign · (β/2)(r²)^{β/2 − 1}, set to 0 at
// r² = 0 as `safePower` does (value 0, gradient 0 where points coincide).
import type { RadialProfile } from './radial-profile.js';

/** The profile sign · ‖x − y‖^β, β ∈ (0, 2) (energy distance, distance kernel). */
export function powerProfile(beta: number, sign: 1 | -1 = 1): RadialProfile {
  const half = beta / 2;
  if (beta === 1) {
    return {
      atZero: 0,
      closedForm: { kind: 'norm', scale: sign },
      sum(r2, count, slope) {
        let s = 0;
        if (slope) {
          for (let k = 0; k < count; k++) {
            const t = r2[k]!;
            const r = Math.sqrt(t);
            s += r;
            slope[k] = t > 0 ? (0.5 * sign) / r : 0;
          }
        } else {
          for (let k = 0; k < count; k++) s += Math.sqrt(r2[k]!);
        }
        return sign * s;
      },
    };
  }
  return {
    atZero: 0,
    sum(r2, count, slope) {
      let s = 0;
      for (let k = 0; k < count; k++) {
        const t = r2[k]!;
        const v = t > 0 ? Math.pow(t, half) : 0;
        s += v;
        if (slope) slope[k] = t > 0 ? (sign * half * v) / t : 0;
      }
      return sign * s;
    },
  };
}
