// The safetensors format (Hugging Face, https://github.com/huggingface/safetensors): 8 bytes of
// little-endian u64 N, N bytes of a UTF-8 JSON header {name: {dtype, shape, data_offsets}, and an
// optional "__metadata__": {string: string}}, then the tensors' raw little-endian bytes.

/** Bytes per element of every dtype the format defines (the names are the format's own). */
export const SAFETENSORS_DTYPE_BYTES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
} as const;

/** A dtype of the safetensors format (`F32`, `F16`, `BF16`, `I64`, …). */
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPE_BYTES;

/** One tensor of a safetensors file: its name, dtype, shape and raw little-endian bytes (row-major). */
export interface SafetensorsTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Exactly prod(shape) · bytes-per-element bytes. A decoded tensor's bytes are a view into the file. */
  data: Uint8Array;
}

/** The content of a safetensors file: its tensors in file order and its string metadata. */
export interface SafetensorsContent {
  tensors: SafetensorsTensor[];
  /** The header's `"__metadata__"`: string keys to string values (empty when the file has none). */
  metadata: Record<string, string>;
}

/** Default limits of the safetensors decoder. */
export const SAFETENSORS_LIMITS = {
  /** Largest JSON header, in bytes (100 MB, as the reference implementation). */
  maxHeaderBytes: 100_000_000,
  /** Largest tensor data, in bytes (2^31 = 2 GiB, as the model files' weights). */
  maxDataBytes: 2 ** 31,
  /** Most dimensions of one tensor. */
  maxRank: 32,
} as const;

/** True when `value` names a dtype of the format. */
export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(SAFETENSORS_DTYPE_BYTES, value);
}
