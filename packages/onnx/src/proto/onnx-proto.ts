// Encodes and decodes ONNX ModelProto bytes with protobufjs (light build: reflection from the
// JSON descriptor in onnx-schema.ts, no .proto parser and no code generation).
import protobuf from 'protobufjs/light.js';
import { ONNX_SCHEMA } from './onnx-schema.js';

/** A dimension of a value's shape: a fixed size or a named symbolic one (`n`). */
export interface OnnxDimension {
  dimValue?: number;
  dimParam?: string;
}

/** A graph input or output: a float tensor of a given shape. */
export interface OnnxValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: OnnxDimension[] } } };
  docString?: string;
}

/** A constant tensor (initializer or attribute value); float data is `rawData` (little-endian). */
export interface OnnxTensor {
  name?: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int64Data?: number[];
}

/** An attribute of a node; `type` is an ONNX_ATTRIBUTE_TYPE value. */
export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
}

/** One operator application. */
export interface OnnxNode {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}

/** A computation graph. */
export interface OnnxGraph {
  name: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
  docString?: string;
}

/** A whole model file. */
export interface OnnxModel {
  irVersion: number;
  opsetImport: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: OnnxGraph;
  metadataProps: { key: string; value: string }[];
}

let modelType: protobuf.Type | undefined;

function modelProto(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
  return modelType;
}

/** ModelProto serialisation: `encode` to the bytes of an `.onnx` file, `decode` back (int64 as numbers). */
export const onnxProto = {
  encode(model: OnnxModel): Uint8Array {
    const type = modelProto();
    const problem = type.verify(model);
    if (problem) throw new TypeError(`onnx: invalid ModelProto: ${problem}`);
    return type.encode(type.fromObject(model)).finish();
  },
  decode(bytes: Uint8Array): OnnxModel {
    const type = modelProto();
    const message = type.decode(bytes);
    return type.toObject(message, { longs: Number, arrays: true }) as OnnxModel;
  },
};
