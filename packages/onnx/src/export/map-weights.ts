// The weights of a map record by position, with their shapes checked against what the exporter
// expects, so a record that does not fit its options fails with the weight's name.
import type { MapRecord } from '@pfm/core';
import { OnnxError } from './onnx-error.js';

/** A reader of the weights of `record` in variable order. */
export interface MapWeights {
  /** The next weight, which must have shape `shape`. */
  next(shape: readonly number[]): Float32Array;
  /** Throws unless every weight was read. */
  done(): void;
}

/** Reads the weights of `record` in order; `where` names the map in errors. */
export function mapWeights(record: MapRecord, where: string): MapWeights {
  let index = 0;
  return {
    next(shape) {
      const w = record.weights[index];
      if (!w) throw new OnnxError(`${where}: ${record.type} has ${record.weights.length} weights, the export needs more`);
      if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
        throw new OnnxError(`${where}.weights[${index}] (${w.name}): shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
      }
      index++;
      return w.values;
    },
    done() {
      if (index !== record.weights.length) {
        throw new OnnxError(`${where}: ${record.type} has ${record.weights.length} weights, the export used ${index}`);
      }
    },
  };
}
