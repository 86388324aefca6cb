/** The round (0 … rounds − 1) of training step `step` when `total` steps are split evenly into `rounds`. */
export function roundOfStep(step: number, total: number, rounds: number): number {
  return Math.min(rounds - 1, Math.floor((step * rounds) / Math.max(1, total)));
}
