export * from './plugins/default-plugins.js';
export * from './plugins/create-default-registry.js';
