// A small WebAssembly assembler: enough of the binary format (WebAssembly Core Specification 2.0,
// ch. 5 "Binary Format"; SIMD opcodes as listed in the SIMD proposal's BinarySIMD.md) to emit a
// module of a few functions that import the wasm backend's memory and work on it in place. The
// kernels are written against it in TypeScript, so the bytes are built from source at run time
// and nothing compiled elsewhere is shipped.

/** Value types (§5.3.1): i32, i64, f32, f64, v128. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

/** Unsigned LEB128 of a non-negative integer below 2^32 (§5.2.2). */
export function unsignedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`unsignedLeb128: expected an integer in [0, 2^32), got ${value}`);
  const out: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of an integer in [−2^31, 2^31) (§5.2.2). */
export function signedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`signedLeb128: expected an integer in [−2^31, 2^31), got ${value}`);
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function utf8Name(name: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(name));
  return [...unsignedLeb128(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

/**
 * The instruction sequence of one function body (§5.4), appended by the methods below, each named
 * after its text-format instruction. Memory instructions take a byte offset and the log2 of the
 * alignment hint.
 */
export class WasmCode {
  readonly bytes: number[] = [];

  private emit(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  // Control (§5.4.1). Blocks are typed empty (0x40): the kernels keep values in locals.
  block(): this { return this.emit(0x02, 0x40); }
  loop(): this { return this.emit(0x03, 0x40); }
  if(): this { return this.emit(0x04, 0x40); }
  else(): this { return this.emit(0x05); }
  end(): this { return this.emit(0x0b); }
  br(depth: number): this { return this.emit(0x0c, ...unsignedLeb128(depth)); }
  brIf(depth: number): this { return this.emit(0x0d, ...unsignedLeb128(depth)); }
  select(): this { return this.emit(0x1b); }

  // Variables (§5.4.4).
  localGet(index: number): this { return this.emit(0x20, ...unsignedLeb128(index)); }
  localSet(index: number): this { return this.emit(0x21, ...unsignedLeb128(index)); }
  localTee(index: number): this { return this.emit(0x22, ...unsignedLeb128(index)); }

  // Memory (§5.4.6): memarg = alignment exponent, offset.
  f32Load(offset = 0, alignLog2 = 2): this { return this.emit(0x2a, ...unsignedLeb128(alignLog2), ...unsignedLeb128(offset)); }
  f64Load(offset = 0, alignLog2 = 3): this { return this.emit(0x2b, ...unsignedLeb128(alignLog2), ...unsignedLeb128(offset)); }
  f32Store(offset = 0, alignLog2 = 2): this { return this.emit(0x38, ...unsignedLeb128(alignLog2), ...unsignedLeb128(offset)); }
  f64Store(offset = 0, alignLog2 = 3): this { return this.emit(0x39, ...unsignedLeb128(alignLog2), ...unsignedLeb128(offset)); }

  // Numeric (§5.4.7).
  i32Const(value: number): this { return this.emit(0x41, ...signedLeb128(value)); }
  f32Const(value: number): this {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return this.emit(0x43, ...bytes);
  }
  f64Const(value: number): this {
    const bytes = new Uint8Array(new Float64Array([value]).buffer);
    return this.emit(0x44, ...bytes);
  }
  i32Eqz(): this { return this.emit(0x45); }
  i32Ne(): this { return this.emit(0x47); }
  i32LtU(): this { return this.emit(0x49); }
  i32GeU(): this { return this.emit(0x4f); }
  f32Gt(): this { return this.emit(0x5e); }
  i32Add(): this { return this.emit(0x6a); }
  i32Sub(): this { return this.emit(0x6b); }
  i32Mul(): this { return this.emit(0x6c); }
  i32And(): this { return this.emit(0x71); }
  i32Shl(): this { return this.emit(0x74); }
  f32Add(): this { return this.emit(0x92); }
  f32Mul(): this { return this.emit(0x94); }
  f64Add(): this { return this.emit(0xa0); }
  f32DemoteF64(): this { return this.emit(0xb6); }
  f64PromoteF32(): this { return this.emit(0xbb); }

  // SIMD (prefix 0xfd, then the opcode as unsigned LEB128).
  private simd(op: number, ...immediates: number[]): this { return this.emit(0xfd, ...unsignedLeb128(op), ...immediates); }
  v128Load(offset = 0, alignLog2 = 2): this { return this.simd(0x00, ...unsignedLeb128(alignLog2), ...unsignedLeb128(offset)); }
  v128Store(offset = 0, alignLog2 = 2): this { return this.simd(0x0b, ...unsignedLeb128(alignLog2), ...unsignedLeb128(offset)); }
  /** i8x16.shuffle with 16 lane indices into the concatenation of the two operands. */
  i8x16Shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31)) throw new RangeError('i8x16.shuffle: expected 16 lane indices in [0, 31]');
    return this.simd(0x0d, ...lanes);
  }
  f32x4Splat(): this { return this.simd(0x13); }
  f32x4ExtractLane(lane: number): this { return this.simd(0x1f, lane); }
  f32x4Gt(): this { return this.simd(0x44); }
  f32x4Ge(): this { return this.simd(0x46); }
  v128Bitselect(): this { return this.simd(0x52); }
  f32x4Nearest(): this { return this.simd(0x6a); }
  i32x4Shl(): this { return this.simd(0xab); }
  i32x4Add(): this { return this.simd(0xae); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Sub(): this { return this.simd(0xe5); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4Pmin(): this { return this.simd(0xea); }
  f32x4Pmax(): this { return this.simd(0xeb); }
  f64x2Add(): this { return this.simd(0xf0); }
  i32x4TruncSatF32x4S(): this { return this.simd(0xf8); }
  f64x2PromoteLowF32x4(): this { return this.simd(0x5f); }
  /** v128.const of four float32 lanes. */
  f32x4Const(a: number, b = a, c = a, d = a): this {
    return this.simd(0x0c, ...new Uint8Array(new Float32Array([a, b, c, d]).buffer));
  }
  /** v128.const of four int32 lanes. */
  i32x4Const(a: number, b = a, c = a, d = a): this {
    return this.simd(0x0c, ...new Uint8Array(new Int32Array([a, b, c, d]).buffer));
  }
}

/** One exported function: its parameters, results, extra locals (indices after the parameters) and body. */
export interface WasmFunction {
  name: string;
  params: readonly ValueType[];
  results: readonly ValueType[];
  locals: readonly ValueType[];
  body: WasmCode;
}

/**
 * A module importing one memory as `env.memory` (`shared` for a threaded build's SharedArrayBuffer
 * memory; then with the largest maximum, 65,536 pages, which any actual maximum satisfies) and
 * exporting `functions` under their names. Sections (§5.5): type, import, function, export, code.
 */
export function wasmModule(options: { sharedMemory: boolean; functions: readonly WasmFunction[] }): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: number[]) => [id, ...unsignedLeb128(content.length), ...content];
  const { functions } = options;
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]);
  const limits = options.sharedMemory ? [0x03, ...unsignedLeb128(0), ...unsignedLeb128(65536)] : [0x00, ...unsignedLeb128(0)];
  const memoryImport = [...utf8Name('env'), ...utf8Name('memory'), 0x02, ...limits];
  const exports = functions.map((f, i) => [...utf8Name(f.name), 0x00, ...unsignedLeb128(i)]);
  const bodies = functions.map((f) => {
    // Locals as runs of one type (§5.5.13).
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]! += 1;
      else runs.push([1, t]);
    }
    const content = [...unsignedLeb128(runs.length), ...runs.flatMap(([count, t]) => [...unsignedLeb128(count!), t!]), ...f.body.bytes, 0x0b];
    return [...unsignedLeb128(content.length), ...content];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb128(i)))),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}

/**
 * Appends `for (index = from(); index < to; index += stepBytes) body()` to `c`, `index` and `to`
 * being i32 locals (`from` pushes the start; a body may also move `index` itself, with step 0).
 */
export function forRange(c: WasmCode, index: number, from: () => void, to: number, stepBytes: number, body: () => void): void {
  from();
  c.localSet(index).block().loop();
  c.localGet(index).localGet(to).i32GeU().brIf(1);
  body();
  c.localGet(index).i32Const(stepBytes).i32Add().localSet(index).br(0);
  c.end().end();
}
