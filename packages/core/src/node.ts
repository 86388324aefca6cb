// File-system access (Node only). Everything platform-neutral lives in '@pfm/core'.
export * from './io/write-file-atomic.js';
export * from './io/check-writable.js';
export * from './io/read-data-file.js';
export * from './io/write-data-file.js';
export * from './io/read-model-file.js';
export * from './io/write-model-file.js';
export * from './io/safetensors-file.js';
export * from './model/save-model.js';
