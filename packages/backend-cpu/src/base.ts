// `@pfm/backend-cpu/base`: the factory with no side effect on import; `cpu().init()` registers
// tfjs's CPU backend and the gradients when it runs.
export { cpu } from './backend/cpu.js';
export type { CpuBackendProvider } from './backend/cpu.js';
