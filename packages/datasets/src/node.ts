// Node-only entry: data files (fs access). Everything platform-neutral is in the main entry.
export * from './io/load-dataset.js';
