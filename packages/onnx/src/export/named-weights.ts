// The weights of a map record by name (`down0/res0/conv1/kernel`: the file's weight name without
// its position), with shapes checked, for maps whose graph does not visit its layers in
// declaration order.
import type { MapRecord } from '@pfm/core';
import { OnnxError } from './onnx-error.js';

/** A reader of the weights of one record by name. */
export interface NamedWeights {
  /** The weight `name`, which must have shape `shape`. */
  get(name: string, shape: readonly number[]): Float32Array;
  /** Throws unless every weight was read. */
  done(): void;
}

/** Indexes the weights of `record`; `where` names the map in errors. */
export function namedWeights(record: MapRecord, where: string): NamedWeights {
  const byName = new Map<string, { index: number; shape: number[]; values: Float32Array }>();
  record.weights.forEach((w, index) => byName.set(w.name.slice(w.name.indexOf(':') + 1), { index, shape: w.shape, values: w.values }));
  const used = new Set<string>();
  return {
    get(name, shape) {
      const w = byName.get(name);
      if (!w) throw new OnnxError(`${where}.weights: ${record.type} has no weight "${name}"`);
      if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
        throw new OnnxError(`${where}.weights[${w.index}] (${name}): shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
      }
      used.add(name);
      return w.values;
    },
    done() {
      const unused = [...byName.keys()].filter((name) => !used.has(name));
      if (unused.length > 0) throw new OnnxError(`${where}.weights: the export did not use ${unused.join(', ')}`);
    },
  };
}
