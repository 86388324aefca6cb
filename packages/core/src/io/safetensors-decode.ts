import { isPlainObject, kindOf, preview } from './json-value.js';
import {
  isSafetensorsDtype,
  SAFETENSORS_DTYPE_BYTES,
  SAFETENSORS_LIMITS,
  type SafetensorsContent,
  type SafetensorsDtype,
  type SafetensorsTensor,
} from './safetensors.js';
import { SafetensorsError } from './safetensors-error.js';

/** Options of {@link decodeSafetensors}. */
export interface SafetensorsDecodeOptions {
  /** Name used in error messages, usually the file name (default `"safetensors"`). */
  source?: string;
  /** Largest JSON header in bytes, checked before it is decoded (default 100 MB). */
  maxHeaderBytes?: number;
  /** Largest tensor data in bytes (default 2^31). */
  maxDataBytes?: number;
}

const ENTRY_KEYS = ['dtype', 'shape', 'data_offsets'];
const METADATA = '__metadata__';

/** The header field of tensor `name`, as the errors show it. */
export function safetensorsField(name: string): string {
  return `tensors[${JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)}]`;
}

/**
 * Reads a safetensors file's bytes. Everything is checked before any tensor is touched, and the
 * tensors' `data` are views into `bytes` (nothing the size of a tensor is allocated):
 * the 8-byte header length (at most `maxHeaderBytes`, inside the file), the header (UTF-8, a JSON
 * object starting with `{`, no key twice in any object), each entry (exactly `dtype`, `shape`,
 * `data_offsets`; a known dtype; a shape of non-negative integers; offsets `[begin, end]` with
 * begin ≤ end inside the data; end − begin = prod(shape) · bytes per element), the entries
 * covering the data exactly — no overlap, no gap, no trailing byte — and `__metadata__` a map of
 * strings to strings. The tensors come in the order of their bytes in the file.
 *
 * Throws a {@link SafetensorsError} naming the source, the field and what was expected.
 */
export function decodeSafetensors(bytes: Uint8Array, options: SafetensorsDecodeOptions = {}): SafetensorsContent {
  const source = options.source ?? 'safetensors';
  const maxHeaderBytes = options.maxHeaderBytes ?? SAFETENSORS_LIMITS.maxHeaderBytes;
  const maxDataBytes = options.maxDataBytes ?? SAFETENSORS_LIMITS.maxDataBytes;
  const fail = (path: string, detail: string): never => {
    throw new SafetensorsError(source, path, detail);
  };
  if (!(bytes instanceof Uint8Array)) return fail('', `expected the file's bytes as a Uint8Array, got ${kindOf(bytes)}`);
  if (bytes.byteLength < 8) fail('', `has ${bytes.byteLength} bytes, fewer than the 8 of the header length (a truncated or empty file)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  // Compared in two halves: a u64 above 2^53 is not a safe JS number.
  if (high !== 0 || low > maxHeaderBytes) {
    const declared = high === 0 ? String(low) : `${BigInt(high) * 2n ** 32n + BigInt(low)}`;
    fail('header length', `declares ${declared} bytes, more than the limit (${maxHeaderBytes})`);
  }
  const headerLength = low;
  if (8 + headerLength > bytes.byteLength) {
    fail('header length', `declares ${headerLength} bytes, but only ${bytes.byteLength - 8} follow (a truncated file)`);
  }
  if (headerLength === 0 || bytes[8] !== 0x7b) fail('header', 'expected a JSON object starting with "{"');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch (error) {
    throw new SafetensorsError(source, 'header', 'not UTF-8 text', { cause: error });
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(source, 'header', `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isPlainObject(header)) return fail('header', `expected a JSON object, got ${kindOf(header)}`);
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) fail('header', `the key ${preview(duplicate)} appears twice in one object`);

  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  if (dataLength > maxDataBytes) fail('', `holds ${dataLength} bytes of tensor data, more than the limit (${maxDataBytes})`);

  let metadata: Record<string, string> = {};
  interface Planned {
    name: string;
    dtype: SafetensorsDtype;
    shape: number[];
    begin: number;
    end: number;
  }
  const planned: Planned[] = [];
  for (const name of Object.keys(header)) {
    const entry = header[name];
    if (name === METADATA) {
      metadata = checkMetadata(entry, fail);
      continue;
    }
    const field = safetensorsField(name);
    if (name.length === 0) fail(field, 'a tensor name must not be empty');
    if (!isPlainObject(entry)) fail(field, `expected { dtype, shape, data_offsets }, got ${preview(entry)}`);
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!ENTRY_KEYS.includes(key)) fail(`${field}.${key}`, `unknown field (expected only ${ENTRY_KEYS.join(', ')})`);
    }
    for (const key of ENTRY_KEYS) if (!Object.hasOwn(e, key)) fail(`${field}.${key}`, 'missing');
    if (!isSafetensorsDtype(e.dtype)) {
      fail(`${field}.dtype`, `unknown dtype ${preview(e.dtype)} (known: ${Object.keys(SAFETENSORS_DTYPE_BYTES).join(', ')})`);
    }
    const dtype = e.dtype as SafetensorsDtype;
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
      fail(`${field}.shape`, `expected an array of non-negative integers, got ${preview(shape)}`);
    }
    const dims = shape as number[];
    if (dims.length > SAFETENSORS_LIMITS.maxRank) fail(`${field}.shape`, `has ${dims.length} dimensions, at most ${SAFETENSORS_LIMITS.maxRank} are supported`);
    const offsets = e.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) ||
      (offsets[0] as number) > (offsets[1] as number)
    ) {
      fail(`${field}.data_offsets`, `expected [begin, end], integers with 0 ≤ begin ≤ end, got ${preview(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLength) {
      fail(`${field}.data_offsets`, `bytes ${begin}..${end} lie outside the tensor data (${dataLength} bytes)`);
    }
    // Multiplied factor by factor and stopped past the data length, so no huge shape is ever formed.
    const itemBytes = SAFETENSORS_DTYPE_BYTES[dtype];
    let size = dims.includes(0) ? 0 : itemBytes;
    let stopped = false;
    for (const d of dims) {
      if (size > dataLength) {
        stopped = true;
        break;
      }
      size *= d;
    }
    if (size !== end - begin) {
      const needs = stopped ? `more than the ${dataLength} bytes of data` : `${size} bytes`;
      fail(`${field}.data_offsets`, `span ${end - begin} bytes, but shape ${preview(dims)} of ${dtype} needs ${needs}`);
    }
    planned.push({ name, dtype, shape: [...dims], begin, end });
  }

  // The entries must tile the data: sorted by offset, each starts where the previous ended.
  const sorted = planned.filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  let covered = 0;
  let previous: Planned | undefined;
  for (const t of sorted) {
    if (t.begin < covered) fail(`${safetensorsField(t.name)}.data_offsets`, `bytes ${t.begin}..${t.end} overlap those of ${previous!.name}`);
    if (t.begin > covered) fail(`${safetensorsField(t.name)}.data_offsets`, `starts at byte ${t.begin}, leaving bytes ${covered}..${t.begin} of no tensor`);
    covered = t.end;
    previous = t;
  }
  if (covered !== dataLength) fail('', `the tensors cover ${covered} of the ${dataLength} bytes of data (bytes no tensor reads)`);

  // In the order of their bytes (JSON objects do not keep key order in JS: "10" comes before "a").
  planned.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const tensors: SafetensorsTensor[] = planned.map((t) => ({
    name: t.name,
    dtype: t.dtype,
    shape: t.shape,
    data: bytes.subarray(dataStart + t.begin, dataStart + t.end),
  }));
  return { tensors, metadata };
}

function checkMetadata(value: unknown, fail: (path: string, detail: string) => never): Record<string, string> {
  if (!isPlainObject(value)) return fail('__metadata__', `expected an object of strings, got ${preview(value)}`);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v !== 'string') fail(`__metadata__[${JSON.stringify(key)}]`, `expected a string, got ${preview(v)}`);
    out[key] = v as string;
  }
  return { ...out };
}

/**
 * The first key that appears twice in one object of valid JSON `text` (JSON.parse keeps the last
 * silently, so a file could name a tensor twice and hide one), or undefined.
 */
function firstDuplicateKey(text: string): string | undefined {
  const stack: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) stack.push(new Set());
    else if (c === 0x5b) stack.push(null);
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x22) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      const keys = stack[stack.length - 1];
      if (!keys) continue;
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] !== ':') continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      if (keys.has(key)) return key;
      keys.add(key);
    }
  }
  return undefined;
}
