// Safetensors tensors to and from float32 values. F16 and BF16 are widened exactly (IEEE 754
// half: 1 sign, 5 exponent, 10 fraction bits; bfloat16: the high 16 bits of a float32); F64 is
// rounded to the nearest float32.
import { float32FromLittleEndian, float32ToLittleEndian } from './little-endian.js';
import type { SafetensorsDtype, SafetensorsTensor } from './safetensors.js';

/** The dtypes {@link safetensorsToFloat32} converts. */
export const SAFETENSORS_FLOAT_DTYPES: readonly SafetensorsDtype[] = ['F32', 'F16', 'BF16', 'F64'];

/** A tensor of float32 values as an `F32` safetensors tensor (the bytes are copied little-endian). */
export function safetensorsFromFloat32(name: string, shape: readonly number[], values: Float32Array): SafetensorsTensor {
  return { name, dtype: 'F32', shape: [...shape], data: float32ToLittleEndian(values).slice() };
}

/**
 * The values of a floating-point tensor (`F32`, `F16`, `BF16` or `F64`) as float32, row-major.
 * Throws a TypeError naming the tensor and its dtype for integer, boolean and 8-bit float tensors.
 */
export function safetensorsToFloat32(tensor: SafetensorsTensor): Float32Array {
  const { data, dtype } = tensor;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (dtype) {
    case 'F32':
      return float32FromLittleEndian(data, 0, data.byteLength / 4);
    case 'F64':
      return Float32Array.from({ length: data.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
    case 'BF16': {
      const bits = new Uint32Array(data.byteLength / 2);
      for (let i = 0; i < bits.length; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return new Float32Array(bits.buffer);
    }
    case 'F16':
      return Float32Array.from({ length: data.byteLength / 2 }, (_, i) => halfToNumber(view.getUint16(i * 2, true)));
    default:
      throw new TypeError(
        `tensor ${JSON.stringify(tensor.name)} has dtype ${dtype}; expected a floating-point tensor (${SAFETENSORS_FLOAT_DTYPES.join(', ')})`,
      );
  }
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
