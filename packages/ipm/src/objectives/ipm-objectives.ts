import { ganObjective, wganGpObjective } from './adversarial.js';
import { statisticsMatchingObjective } from './statistics-matching.js';

/** Every objective @pfm/ipm registers: one statistics-matching generator per discrepancy, GAN and WGAN-GP. */
export const ipmObjectives = [
  statisticsMatchingObjective('mmd', 'mmd', 'One-step generator trained by minimising MMD² to the data'),
  statisticsMatchingObjective('energy', 'energy', 'One-step generator trained by minimising the energy distance to the data'),
  statisticsMatchingObjective('fourier', 'fourier', 'One-step generator trained by the mean formulation D₂ over Fourier features (Fig. 1)'),
  statisticsMatchingObjective(
    'characteristic',
    'characteristic',
    'One-step generator trained by the characteristic-function D₂ with random frequencies',
  ),
  statisticsMatchingObjective('sinkhorn', 'sinkhorn', 'One-step generator trained by minimising the debiased Sinkhorn divergence'),
  statisticsMatchingObjective(
    'sliced-wasserstein',
    'sliced-wasserstein',
    'One-step generator trained by minimising the sliced Wasserstein distance',
  ),
  ganObjective,
  wganGpObjective,
];
