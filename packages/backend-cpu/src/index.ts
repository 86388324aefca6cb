// Importing this package registers tfjs's CPU backend (the one side effect it has).
import '@tensorflow/tfjs-backend-cpu';

export { cpu } from './backend/cpu.js';
export type { CpuBackendProvider } from './backend/cpu.js';
