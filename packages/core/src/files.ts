// Writing files safely (Node only) with nothing but Node's file system: no tfjs, so a process that
// only writes bytes (the command line's main thread while another thread trains) loads little.
// '@pfm/core/node' exports the same functions beside the readers and writers of data and models.
export * from './io/write-file-atomic.js';
export * from './io/check-writable.js';
