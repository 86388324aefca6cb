import { describe, expect, it } from 'vitest';
import { F32, I32, signedLeb128, unsignedLeb128, V128, WasmCode, wasmModule } from './wasm-assembler.js';

describe('the WebAssembly assembler', () => {
  it('writes LEB128 as the binary format specifies (§5.2.2)', () => {
    expect(unsignedLeb128(0)).toEqual([0x00]);
    expect(unsignedLeb128(127)).toEqual([0x7f]);
    expect(unsignedLeb128(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(unsignedLeb128(65536)).toEqual([0x80, 0x80, 0x04]);
    expect(signedLeb128(0)).toEqual([0x00]);
    expect(signedLeb128(-1)).toEqual([0x7f]);
    expect(signedLeb128(63)).toEqual([0x3f]);
    expect(signedLeb128(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb128(-4)).toEqual([0x7c]);
    expect(signedLeb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(() => unsignedLeb128(-1)).toThrow('unsignedLeb128: expected an integer in [0, 2^32), got -1');
  });

  it('encodes the SIMD instructions with the 0xfd prefix and their opcode in LEB128', () => {
    const c = new WasmCode().f32x4Add().f32x4Mul().f32x4Ge().v128Bitselect().f32x4Nearest().i32x4TruncSatF32x4S().f64x2PromoteLowF32x4().v128Load(16, 2).f32x4ExtractLane(3);
    expect(c.bytes).toEqual([0xfd, 0xe4, 0x01, 0xfd, 0xe6, 0x01, 0xfd, 0x46, 0xfd, 0x52, 0xfd, 0x6a, 0xfd, 0xf8, 0x01, 0xfd, 0x5f, 0xfd, 0x00, 0x02, 0x10, 0xfd, 0x1f, 0x03]);
    expect(new WasmCode().f32x4Const(1).bytes).toEqual([0xfd, 0x0c, ...[0, 0, 0x80, 0x3f].flatMap((b) => [b]), 0, 0, 0x80, 0x3f, 0, 0, 0x80, 0x3f, 0, 0, 0x80, 0x3f]);
  });

  it('writes a whole module byte for byte: (import "env" "memory" (memory 0)) (func (export "f") (param i32) (result i32) local.get 0)', () => {
    const bytes = wasmModule({ sharedMemory: false, functions: [{ name: 'f', params: [I32], results: [I32], locals: [], body: new WasmCode().localGet(0) }] });
    expect(Array.from(bytes)).toEqual([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
      0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type section: (i32) → (i32)
      0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x00, // import env.memory, limits {min 0}
      0x03, 0x02, 0x01, 0x00, // function section: type 0
      0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f" = func 0
      0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0b, // code: no locals, local.get 0, end
    ]);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it('groups locals into runs of one type, and the module runs on an imported memory', () => {
    // g(a) = (a + a) << 2, with unused locals (local f32 f32 v128): 5 bytes of local runs, 9 of code
    const body = new WasmCode().localGet(0).localGet(0).i32Add().i32Const(2).i32Shl();
    const bytes = wasmModule({ sharedMemory: false, functions: [{ name: 'g', params: [I32], results: [I32], locals: [F32, F32, V128], body }] });
    const code = Array.from(bytes.slice(bytes.length - 14));
    expect(code.slice(0, 5)).toEqual([0x02, 0x02, F32, 0x01, V128]);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    expect((instance.exports.g as (a: number) => number)(5)).toBe(40);
  });
});
