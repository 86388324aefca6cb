// The path contract lives in @pfm/core (registry kind `path`); re-exported where it always was.
export type { Interpolant, InterpolantSample } from '@pfm/core';
