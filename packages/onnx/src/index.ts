export * from './export/export-onnx.js';
export * from './export/onnx-error.js';
export * from './export/sampler-metadata.js';
export * from './export/read-sampler-metadata.js';
export * from './export/fixed-step-tableaux.js';
export * from './proto/onnx-proto.js';
export * from './runtime/onnx-runtime.js';
export * from './runtime/onnx-sampler.js';
