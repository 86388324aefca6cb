import type { Coupling } from './coupling.js';
import type { CouplingName, SinkhornCouplingOptions } from './coupling-schema.js';
import { exactOtCoupling } from './exact-ot-coupling.js';
import { independentCoupling } from './independent-coupling.js';
import { sinkhornCoupling } from './sinkhorn-coupling.js';

/** The coupling named in an objective's options. */
export function createCoupling(name: CouplingName, sinkhorn: SinkhornCouplingOptions): Coupling {
  switch (name) {
    case 'independent':
      return independentCoupling();
    case 'exact-ot':
      return exactOtCoupling();
    case 'sinkhorn':
      return sinkhornCoupling(sinkhorn);
  }
}
