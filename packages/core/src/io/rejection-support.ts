// Test support (test-only; not exported by the package): the error a promise rejects with.

/**
 * The error `promise` rejects with; throws when it resolves instead, or when `type` is given and
 * the error is not an instance of it.
 */
export async function rejection<E extends Error = Error>(promise: Promise<unknown>, type?: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (type && !(error instanceof type)) throw new Error(`expected a ${type.name}, got: ${String(error)}`);
    return error as E;
  }
  throw new Error(type ? `expected a ${type.name}` : 'expected a rejection');
}
