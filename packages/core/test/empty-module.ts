// Stands in for tfjs-core's registration modules in core's tests (see register-from-dist.ts).
export {};
