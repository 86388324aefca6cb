export * from './index.js';
export * from './io/export-onnx-file.js';
export * from './io/read-onnx-sampler.js';
