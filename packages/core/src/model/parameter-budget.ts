// A bound on the parameters a map may allocate while it is rebuilt from a file. A model file
// holds every weight of its maps, so a map whose options ask for more scalars than the file
// holds is hostile or corrupt: it is refused before any of its weights are allocated.

/** The budget in force while a map is rebuilt from a file, or none. */
let budget: { remaining: number; limit: number; where: string } | undefined;

/**
 * Runs `build` with at most `limit` parameters available to `reserveParameters`; `where` names
 * the file record in the error. Budgets do not nest: the innermost one applies.
 */
export function withParameterBudget<T>(limit: number, where: string, build: () => T): T {
  const outer = budget;
  budget = { remaining: limit, limit, where };
  try {
    return build();
  } finally {
    budget = outer;
  }
}

/**
 * Declares that a map is about to allocate `count` parameters (`what` says which, for the error).
 * Call it before allocating. Outside a budget it only rejects counts no array can hold; inside
 * one (a map rebuilt from a file) it throws a RangeError once the map asks for more than the
 * file's weights hold — before anything is allocated.
 */
export function reserveParameters(count: number, what: string): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > 2 ** 31 - 1) {
    throw new RangeError(`${what}: ${count} parameters cannot be allocated (at most 2^31 − 1)`);
  }
  if (!budget) return;
  if (count > budget.remaining) {
    throw new RangeError(
      `${budget.where}: ${what} asks for ${count} parameters, but the file's weights hold ${budget.limit} values in all; ` +
        'the options do not match the weights',
    );
  }
  budget.remaining -= count;
}
