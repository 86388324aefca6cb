import { z } from 'zod';
import { vpSchedule, type VpSchedule } from './vp-schedule.js';

/** The VP schedule fields shared by objective options (`schedule`, `betaMin`, `betaMax`, `cosineOffset`). */
export const vpScheduleOptionsShape = {
  /** VP noise schedule: `linear` (Song et al. 2021) or `cosine` (Nichol & Dhariwal 2021, β clipped at betaMax). */
  schedule: z.enum(['linear', 'cosine']).default('linear'),
  betaMin: z.number().positive().default(0.1),
  betaMax: z.number().positive().default(20),
  /** Offset ε of the cosine schedule. */
  cosineOffset: z.number().positive().lt(1).default(0.008),
};

/** The schedule named by objective options; `where` names the objective in errors. */
export function scheduleFromOptions(
  o: { schedule: 'linear' | 'cosine'; betaMin: number; betaMax: number; cosineOffset: number },
  where: string,
): VpSchedule {
  if (o.schedule === 'cosine') return vpSchedule({ kind: 'cosine', offset: o.cosineOffset, betaMax: o.betaMax });
  if (o.betaMax < o.betaMin) throw new RangeError(`${where}: "betaMax" (${o.betaMax}) must be ≥ "betaMin" (${o.betaMin})`);
  return vpSchedule({ kind: 'linear', betaMin: o.betaMin, betaMax: o.betaMax });
}
