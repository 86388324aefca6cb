// Builds an ONNX graph node by node: constants become float32 initializers (raw little-endian
// bytes), every node output gets a fresh name, and inputs/outputs are float tensors (int64 for
// class labels) whose first dimension may be symbolic (`n`, the batch).
import { ONNX_ATTRIBUTE_TYPE, ONNX_DATA_TYPE } from '../proto/onnx-schema.js';
import type { OnnxAttribute, OnnxDimension, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from '../proto/onnx-proto.js';

/** An attribute value: a number is a float unless listed in `ints`; arrays likewise. */
export type AttributeValue = { float: number } | { int: number } | { ints: readonly number[] } | { floats: readonly number[] } | { string: string };

/** A graph under construction; `node` returns the name of the (first) output. */
export interface GraphBuilder {
  /** Declares a graph input `[dims]` (a string dimension is symbolic), float32 unless `type` is int64. */
  input(name: string, dims: readonly (number | string)[], doc?: string, type?: 'float' | 'int64'): string;
  /** Declares `value` as the float32 graph output `name` `[dims]` (an Identity node renames it). */
  output(name: string, value: string, dims: readonly (number | string)[], doc?: string): void;
  /** A float32 constant of shape `dims`; values are rounded to float32. */
  constant(hint: string, values: ArrayLike<number>, dims: readonly number[]): string;
  /** An int64 constant of shape `dims` (shapes, axes, indices). */
  int64(hint: string, values: readonly number[], dims?: readonly number[]): string;
  /** Appends `op(inputs; attributes)` and returns its output name. */
  node(op: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>): string;
  /** The finished graph. */
  build(name: string, doc?: string): OnnxGraph;
}

const encoder = new TextEncoder();

function valueInfo(name: string, dims: readonly (number | string)[], doc?: string, type: 'float' | 'int64' = 'float'): OnnxValueInfo {
  const dim: OnnxDimension[] = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ONNX_DATA_TYPE[type], shape: { dim } } }, ...(doc ? { docString: doc } : {}) };
}

function attribute(name: string, value: AttributeValue): OnnxAttribute {
  if ('float' in value) return { name, type: ONNX_ATTRIBUTE_TYPE.float, f: value.float };
  if ('int' in value) return { name, type: ONNX_ATTRIBUTE_TYPE.int, i: value.int };
  if ('ints' in value) return { name, type: ONNX_ATTRIBUTE_TYPE.ints, ints: [...value.ints] };
  if ('floats' in value) return { name, type: ONNX_ATTRIBUTE_TYPE.floats, floats: [...value.floats] };
  return { name, type: ONNX_ATTRIBUTE_TYPE.string, s: encoder.encode(value.string) };
}

/** Little-endian bytes of `values` as float32 (ONNX raw_data is little-endian whatever the host). */
function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

/** Starts an empty graph. */
export function graphBuilder(): GraphBuilder {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  const used = new Set<string>();
  const fresh = (hint: string): string => {
    const base = hint.replace(/[^A-Za-z0-9_./-]/g, '_') || 'value';
    let name = base;
    for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  const checkDims = (what: string, size: number, dims: readonly number[]) => {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (expected !== size) throw new RangeError(`onnx graph: constant "${what}" has ${size} values for shape [${dims.join(', ')}] (${expected} expected)`);
  };
  return {
    input(name, dims, doc, type) {
      if (used.has(name)) throw new RangeError(`onnx graph: the name "${name}" is already taken`);
      used.add(name);
      inputs.push(valueInfo(name, dims, doc, type));
      return name;
    },
    output(name, value, dims, doc) {
      if (used.has(name)) throw new RangeError(`onnx graph: the name "${name}" is already taken`);
      used.add(name);
      nodes.push({ input: [value], output: [name], name: `${name}/identity`, opType: 'Identity' });
      outputs.push(valueInfo(name, dims, doc));
    },
    constant(hint, values, dims) {
      checkDims(hint, values.length, dims);
      const name = fresh(hint);
      initializers.push({ name, dims: [...dims], dataType: ONNX_DATA_TYPE.float, rawData: float32Bytes(values) });
      return name;
    },
    int64(hint, values, dims = [values.length]) {
      checkDims(hint, values.length, dims);
      const name = fresh(hint);
      initializers.push({ name, dims: [...dims], dataType: ONNX_DATA_TYPE.int64, int64Data: [...values] });
      return name;
    },
    node(op, nodeInputs, attributes = {}) {
      const output = fresh(`${op.toLowerCase()}`);
      nodes.push({
        input: [...nodeInputs],
        output: [output],
        name: output,
        opType: op,
        attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
      });
      return output;
    },
    build(name, doc) {
      return { name, node: nodes, initializer: initializers, input: inputs, output: outputs, ...(doc ? { docString: doc } : {}) };
    },
  };
}
