import type { TourStop } from './tour.js';

/** One model per family, sized to train in well under a minute each on wasm. */
export function tourStops(scale = 1): TourStop[] {
  const steps = (n: number) => Math.max(5, Math.round(n * scale));
  return [
    {
      family: 'statistics matching',
      title: 'energy-distance generator (1 step)',
      recipe: { method: 'energy', model: { hidden: [64, 64], activation: 'silu' }, optimizer: { lr: 2e-3 }, steps: steps(800), batchSize: 256, seed: 1 },
    },
    {
      family: 'density level',
      title: 'RealNVP (maximum likelihood)',
      recipe: { method: 'realnvp', model: { hidden: [32, 32] }, optimizer: { lr: 2e-3 }, steps: steps(800), batchSize: 256, seed: 1 },
    },
    {
      family: 'flows',
      title: 'flow matching (100 Euler steps)',
      recipe: { method: 'flow-matching', model: { hidden: [64, 64, 64], activation: 'selu' }, optimizer: { name: 'adamw', lr: 2e-3 }, steps: steps(1500), batchSize: 256, seed: 1 },
      sample: { integrator: 'euler', steps: 100 },
    },
    {
      family: 'flows → one step',
      title: 'flow matching distilled into one step',
      recipe: { method: 'distill', model: { hidden: [64, 64, 64], activation: 'selu' }, optimizer: { lr: 2e-3 }, steps: steps(1000), batchSize: 256, seed: 1 },
      teacherFrom: 2,
    },
    {
      family: 'flows → one step',
      title: 'curriculum along the OU path (the paper’s proposal)',
      recipe: { method: 'curriculum', model: { hidden: [64, 64], activation: 'silu' }, optimizer: { lr: 2e-3 }, steps: steps(800), batchSize: 256, seed: 1 },
    },
  ];
}
