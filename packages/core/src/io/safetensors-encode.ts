import { isPlainObject, kindOf, preview } from './json-value.js';
import { isSafetensorsDtype, SAFETENSORS_DTYPE_BYTES, SAFETENSORS_LIMITS, type SafetensorsContent } from './safetensors.js';
import { safetensorsField } from './safetensors-decode.js';
import { SafetensorsError } from './safetensors-error.js';

/**
 * Writes tensors as a safetensors file: the 8-byte little-endian header length, the JSON header
 * (padded with spaces to a multiple of 8 bytes, so every tensor starts 8-byte aligned when the
 * tensors are ordered by decreasing element size), then the tensors' bytes in the order given.
 *
 * Checked as strictly as {@link decodeSafetensors} reads: names non-empty, unique and not
 * `__metadata__`, known dtypes, shapes of non-negative integers matching the bytes, metadata
 * values strings; a {@link SafetensorsError} names the field otherwise.
 */
export function encodeSafetensors(content: SafetensorsContent, options: { source?: string } = {}): Uint8Array {
  const source = options.source ?? 'safetensors';
  const fail = (path: string, detail: string): never => {
    throw new SafetensorsError(source, path, detail);
  };
  if (!isPlainObject(content) || !Array.isArray(content.tensors)) fail('', `expected { tensors, metadata }, got ${preview(content)}`);
  const header: Record<string, unknown> = {};
  const metadata = content.metadata ?? {};
  if (!isPlainObject(metadata)) fail('__metadata__', `expected an object of strings, got ${kindOf(metadata)}`);
  const metaKeys = Object.keys(metadata);
  if (metaKeys.length > 0) {
    for (const key of metaKeys) {
      if (typeof metadata[key] !== 'string') fail(`__metadata__[${JSON.stringify(key)}]`, `expected a string, got ${preview(metadata[key])}`);
    }
    header.__metadata__ = { ...metadata };
  }
  const names = new Set<string>();
  let offset = 0;
  for (const [i, t] of content.tensors.entries()) {
    if (!isPlainObject(t)) fail(`tensors[${i}]`, `expected { name, dtype, shape, data }, got ${preview(t)}`);
    if (typeof t.name !== 'string' || t.name.length === 0 || t.name === '__metadata__') {
      fail(`tensors[${i}].name`, `expected a non-empty name other than "__metadata__", got ${preview(t.name)}`);
    }
    const field = safetensorsField(t.name);
    if (names.has(t.name)) fail(field, 'a tensor of this name is already in the file');
    names.add(t.name);
    if (!isSafetensorsDtype(t.dtype)) fail(`${field}.dtype`, `unknown dtype ${preview(t.dtype)} (known: ${Object.keys(SAFETENSORS_DTYPE_BYTES).join(', ')})`);
    const shape = t.shape;
    if (!Array.isArray(shape) || shape.length > SAFETENSORS_LIMITS.maxRank || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`${field}.shape`, `expected at most ${SAFETENSORS_LIMITS.maxRank} non-negative integers, got ${preview(shape)}`);
    }
    if (!(t.data instanceof Uint8Array)) fail(`${field}.data`, `expected the bytes as a Uint8Array, got ${preview(t.data)}`);
    const size = shape.reduce((a, b) => a * b, SAFETENSORS_DTYPE_BYTES[t.dtype]);
    if (size !== t.data.byteLength) fail(`${field}.data`, `has ${t.data.byteLength} bytes, but shape ${preview(shape)} of ${t.dtype} needs ${size}`);
    header[t.name] = { dtype: t.dtype, shape: [...shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + padded);
  let at = 8 + padded;
  for (const t of content.tensors) {
    out.set(t.data, at);
    at += t.data.byteLength;
  }
  return out;
}
