export * from './testing/bijector-laws.js';
export * from './testing/discrepancy-axioms.js';
export * from './testing/integrator-order.js';
export * from './testing/sde-strong-order.js';
export * from './testing/error-estimate-order.js';
export * from './testing/integrator-conformance.js';
export * from './testing/log-log-slope.js';
export * from './testing/expect-no-tensor-leak.js';
export { logAbsDet } from './testing/linear-algebra.js';
