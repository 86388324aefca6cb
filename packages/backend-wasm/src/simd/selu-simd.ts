// Instantiates the SELU SIMD module (selu-simd-module.ts) on the wasm backend's own memory, once
// per memory, so that its functions read and write tensors where they lie on the heap. Where
// WebAssembly SIMD is missing (the module does not validate) or the memory cannot be reached,
// `seluSimd` returns undefined and the kernels keep their JavaScript loops.
import { seluSimdModuleBytes } from './selu-simd-module.js';

/** The module's exports; every address is a byte offset on the backend's heap. */
export interface SeluSimd {
  /** out[i·m + j] = selu(x[i·m + j]) for n rows of m float32 (`bias` unused). */
  selu(x: number, bias: number, out: number, n: number, m: number): void;
  /** out[i·m + j] = selu(x[i·m + j] + bias[j]); x and out may be the same. */
  seluBias(x: number, bias: number, out: number, n: number, m: number): void;
  /** out = e^z − 1 of z = x clamped to [−87, 0] (the exponential inside selu; for its tests). */
  expm1Negative(x: number, bias: number, out: number, n: number, m: number): void;
  /** dz = dy·selu′ (read from y), dzT = dzᵀ unless dzT is 0, db = Σ_rows dz through `acc` (m float64). */
  seluGrad(dy: number, y: number, dz: number, dzT: number, acc: number, db: number, n: number, m: number): void;
  /** U = T ⊙ selu′ (read from y) for T [n·r, w], or [r, w] shared by the points (shared = 1); w a multiple of 4. */
  tangentSlope_selu(t: number, y: number, u: number, n: number, r: number, w: number, shared: number): void;
  /** U = T ⊙ 1[y > 0], as tangentSlope_selu. */
  tangentSlope_relu(t: number, y: number, u: number, n: number, r: number, w: number, shared: number): void;
  /** ∂T = G_U ⊙ selu′ (summed over points when shared) and G_y′ = G_y + 1[y ≤ 0] ⊙ Σ_j G_U ⊙ T. */
  tangentSlopeGrad_selu(g: number, t: number, y: number, gy: number, dt: number, dout: number, n: number, r: number, w: number, shared: number): void;
  /** ∂T = G_U ⊙ 1[y > 0] (summed over points when shared) and G_y′ = G_y. */
  tangentSlopeGrad_relu(g: number, t: number, y: number, gy: number, dt: number, dout: number, n: number, r: number, w: number, shared: number): void;
}

/** The emscripten module object of tfjs-backend-wasm, as far as its memory goes. */
interface EmscriptenMemoryHolder {
  asm?: { memory?: unknown };
  wasmMemory?: unknown;
}

let enabled = true;
const instances = new WeakMap<WebAssembly.Memory, SeluSimd | null>();

/** The wasm backend's memory: exported by the single-thread module, imported (shared) by the threaded one. */
function backendMemory(backend: unknown): WebAssembly.Memory | undefined {
  const module = (backend as { wasm?: EmscriptenMemoryHolder }).wasm;
  const memory = module?.asm?.memory ?? module?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

/**
 * The SIMD functions bound to `backend`'s heap, or undefined where WebAssembly SIMD is missing,
 * the backend's memory is out of reach, or `setSeluSimdEnabled(false)` was called.
 */
export function seluSimd(backend: unknown): SeluSimd | undefined {
  if (!enabled) return undefined;
  const memory = backendMemory(backend);
  if (memory === undefined) return undefined;
  let instance = instances.get(memory);
  if (instance === undefined) {
    instance = instantiate(memory);
    instances.set(memory, instance);
  }
  return instance ?? undefined;
}

function instantiate(memory: WebAssembly.Memory): SeluSimd | null {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = seluSimdModuleBytes(shared);
  if (!WebAssembly.validate(bytes)) return null;
  try {
    // Synchronous: the module is about 2 kB, under the browsers' 4 kB limit for a synchronous compile.
    const module = new WebAssembly.Module(bytes);
    return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SeluSimd;
  } catch {
    return null;
  }
}

/**
 * Turns the SIMD loops off (false) or back on (true, the default); for tests and timings of the
 * JavaScript loops they replace.
 */
export function setSeluSimdEnabled(on: boolean): void {
  enabled = on;
}

/** Whether this JavaScript engine validates the module, i.e. has WebAssembly SIMD. */
export function seluSimdSupported(): boolean {
  return WebAssembly.validate(seluSimdModuleBytes(false));
}
