// Float32 <-> little-endian bytes (internal). Typed arrays use the platform's byte order, so
// big-endian platforms go through a DataView; little-endian ones copy bytes directly.

/** True when this platform stores typed arrays little-endian (every current browser and Node). */
export const PLATFORM_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The float32 values as little-endian bytes (a view when possible, else a copy). `nativeOrder`
 * exists for tests: `false` forces the DataView path used on big-endian platforms.
 */
export function float32ToLittleEndian(values: Float32Array, nativeOrder = PLATFORM_LITTLE_ENDIAN): Uint8Array {
  if (nativeOrder) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return out;
}

/** Reads `count` little-endian float32 values starting at `offset` of `bytes` (into a new array). */
export function float32FromLittleEndian(
  bytes: Uint8Array,
  offset: number,
  count: number,
  nativeOrder = PLATFORM_LITTLE_ENDIAN,
): Float32Array {
  const out = new Float32Array(count);
  if (nativeOrder) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * 4));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
