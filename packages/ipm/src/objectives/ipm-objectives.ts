import { energyEntry } from '../energy/energy-entry.js';
import { characteristicDiscrepancyEntry, fourierDiscrepancyEntry } from '../features/feature-discrepancy-entries.js';
import { mmdEntry } from '../mmd/mmd-entry.js';
import { sinkhornEntry } from '../sinkhorn/sinkhorn-entry.js';
import { slicedWassersteinEntry } from '../sliced/sliced-wasserstein-entry.js';
import { ganObjective, wganGpObjective } from './adversarial.js';
import { statisticsMatching } from './statistics-matching.js';
import { statisticsMatchingPreset } from './statistics-matching-preset.js';

/**
 * Every objective @pfm/ipm registers: `statistics-matching` (any discrepancy as the loss), its
 * presets `mmd`, `energy`, `fourier`, `characteristic`, `sinkhorn`, `sliced-wasserstein` (the loss
 * id fixed), GAN and WGAN-GP.
 */
export const ipmObjectives = [
  statisticsMatching,
  statisticsMatchingPreset({ id: 'mmd', description: 'One-step generator trained by minimising MMD² to the data', loss: mmdEntry }),
  statisticsMatchingPreset({ id: 'energy', description: 'One-step generator trained by minimising the energy distance to the data', loss: energyEntry }),
  statisticsMatchingPreset({
    id: 'fourier',
    description: 'One-step generator trained by the mean formulation D₂ over Fourier features (Fig. 1)',
    loss: fourierDiscrepancyEntry,
  }),
  statisticsMatchingPreset({
    id: 'characteristic',
    description: 'One-step generator trained by the characteristic-function D₂ with random frequencies',
    loss: characteristicDiscrepancyEntry,
  }),
  statisticsMatchingPreset({ id: 'sinkhorn', description: 'One-step generator trained by minimising the debiased Sinkhorn divergence', loss: sinkhornEntry }),
  statisticsMatchingPreset({
    id: 'sliced-wasserstein',
    description: 'One-step generator trained by minimising the sliced Wasserstein distance',
    loss: slicedWassersteinEntry,
  }),
  ganObjective,
  wganGpObjective,
];
