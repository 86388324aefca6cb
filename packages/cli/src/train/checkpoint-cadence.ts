/** Steps between two looks at the event loop when the user asks for no checkpoints. */
function lookEvery(steps: number): number {
  // About a thousand looks per run: each costs one snapshot of the parameters (the trainer's
  // checkpoint callback is where the loop yields), so the cost stays a small fraction of a step.
  return Math.max(1, Math.floor(steps / 1000));
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * The `checkpointEvery` handed to the trainer: a divisor of the user's --checkpoint-every (so
 * every checkpoint the user asked for is seen) that is also small enough for Ctrl-C to be noticed
 * within about a thousandth of the run. The trainer runs its steps without yielding to the event
 * loop; its checkpoint callback is the one place where the command line can yield.
 */
export function checkpointCadence(steps: number, userEvery: number | undefined): number {
  const look = lookEvery(steps);
  return userEvery === undefined ? look : gcd(userEvery, look);
}
