// The coupling contract lives in @pfm/core (registry kind `coupling`); re-exported where it always was.
export type { Coupling } from '@pfm/core';
