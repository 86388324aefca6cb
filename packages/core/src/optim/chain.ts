// Composition of gradient transformations (optax's `chain`): the updates flow through each one in
// turn, each with its own state; the chain's state is the union of their slots.
import type { GradientTransformation, HostGradientTransformation, OptimizerSlots } from './gradient-transformation.js';

/**
 * Composes `transforms` left to right. Slot names are kept (`m`, `v` …) unless two members use
 * the same one: the later member's slot is then named `<index>.<name>` (0-based member index).
 * The chain has a host path only when every member has one.
 */
export function chain(...transforms: GradientTransformation[]): GradientTransformation {
  transforms.forEach((t, i) => {
    if (!t || typeof t.update !== 'function' || typeof t.init !== 'function' || !Array.isArray(t.slots)) {
      throw new TypeError(`chain: argument ${i} is not a gradient transformation (expected { slots, init, update })`);
    }
  });
  const taken = new Set<string>();
  // names[k][s] is the chain's name of member k's slot s.
  const names = transforms.map((t, k) =>
    t.slots.map((slot) => {
      const name = taken.has(slot) ? `${k}.${slot}` : slot;
      if (taken.has(name)) throw new RangeError(`chain: slot name "${name}" of member ${k} is used twice`);
      taken.add(name);
      return name;
    }),
  );
  const pick = <T>(state: OptimizerSlots<T>, k: number): OptimizerSlots<T> => {
    const out: OptimizerSlots<T> = {};
    transforms[k]!.slots.forEach((slot, s) => {
      const found = state[names[k]![s]!];
      if (!found) throw new RangeError(`chain: state has no slot "${names[k]![s]}"`);
      out[slot] = found;
    });
    return out;
  };
  const merge = <T>(into: OptimizerSlots<T>, part: OptimizerSlots<T>, k: number) => {
    transforms[k]!.slots.forEach((slot, s) => {
      const found = part[slot];
      if (!found) throw new RangeError(`chain: member ${k} returned no slot "${slot}"`);
      into[names[k]![s]!] = found;
    });
  };
  const hosts = transforms.map((t) => t.host);
  const host: HostGradientTransformation | undefined = hosts.every((h): h is HostGradientTransformation => h !== undefined)
    ? {
        init(shapes) {
          const state: OptimizerSlots<Float32Array> = {};
          hosts.forEach((h, k) => merge(state, h.init(shapes), k));
          return state;
        },
        update(updates, state, params, context) {
          let u = updates;
          hosts.forEach((h, k) => {
            u = h.update(u, pick(state, k), params, context);
          });
          return u;
        },
      }
    : undefined;
  return {
    slots: names.flat(),
    init(params) {
      const state: OptimizerSlots = {};
      transforms.forEach((t, k) => merge(state, t.init(params), k));
      return state;
    },
    update(updates, state, params, context) {
      let u = updates;
      const next: OptimizerSlots = {};
      transforms.forEach((t, k) => {
        const [out, part] = t.update(u, pick(state, k), params, context);
        merge(next, part, k);
        u = out;
      });
      return [u, next];
    },
    ...(host ? { host } : {}),
  };
}
