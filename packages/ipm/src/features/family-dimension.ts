/**
 * The part of a test-function family's options that is not JSON: it comes from the caller or, for a
 * registry entry, from the creation context (the data dimension is known only when the family is built).
 */
export interface FamilyDimension {
  /** d, the dimension of the points. */
  dim: number;
}
