import './tfjs/setup.js';

export * from './rng/rng.js';
export * from './contracts/measure.js';
export * from './contracts/map.js';
export * from './contracts/test-functions.js';
export * from './contracts/integrator.js';
export * from './contracts/model.js';
export * from './contracts/objective.js';
export * from './registry/entries.js';
export * from './registry/plugin.js';
export * from './registry/registry.js';
