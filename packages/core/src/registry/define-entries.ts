import { defineEntry } from './define-entry.js';

// The helpers of the kinds a plugin usually adds, each `defineEntry(kind)`: give `id`, `description`,
// an optional zod `schema` and `create(options, context?)`; `options` is the schema's output.

/** An `integrator` entry: `create(options)` builds a `Solver` (a flow model's `sampler.integrator`). */
export const defineIntegrator = defineEntry('integrator');
/** A `controller` entry: `create(options)` builds a `StepSizeController` of adaptive solves. */
export const defineController = defineEntry('controller');
/** A `kernel` entry: `create(options)` builds a `Kernel` k(x, y). */
export const defineKernel = defineEntry('kernel');
/** A `test-functions` entry: `create(options, { dim, rng })` builds a `TestFunctionFamily`. */
export const defineTestFunctions = defineEntry('test-functions');
/** A `map` entry: `create(options, { rng, registry })` builds a `PushforwardMap` or `VectorField`. */
export const defineMap = defineEntry('map');
/** A `dataset` entry: `create(options)` builds a `Measure`. */
export const defineDataset = defineEntry('dataset');
