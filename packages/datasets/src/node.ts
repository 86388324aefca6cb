// Node-only entry: data files, PNG images and data sets read from disk (fs access, zlib).
// Everything platform-neutral is in the main entry.
export * from './io/load-dataset.js';
export * from './images/read-mnist.js';
export * from './images/mnist.js';
export * from './images/decode-png.js';
export * from './images/read-png-folder.js';
export * from './images/encode-png-grid.js';
export * from './images/write-png-grid.js';
export * from './plugin/datasets-node-plugin.js';
