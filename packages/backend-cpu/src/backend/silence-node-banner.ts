// tfjs's CPU backend prints "Hi, looks like you are running TensorFlow.js in Node.js..." on
// its first tensor write under Node. tfjs has no flag for this one message: the only flags
// that mute it (PROD, IS_TEST) mute every other tfjs warning too. The message is guarded by a
// one-shot field of the backend instance, so clearing that field mutes exactly this message.

/**
 * Marks a tfjs CPU backend instance as already used, so that it never prints its Node.js
 * banner. Does nothing if the instance has no such field (another tfjs version).
 */
export function silenceNodeBanner(backend: object | null | undefined): void {
  if (backend == null) return;
  const fields = backend as { firstUse?: unknown };
  if (typeof fields.firstUse === 'boolean') fields.firstUse = false;
}
