// Logit of a box, the inverse of the sigmoid bijector: x = log u − log(1 − u), u = (z − lo)/(hi − lo);
//   log|dx/dz| = −log(hi − lo) − log u − log(1 − u).
import { z } from 'zod';
import { defineBijector, type PfmBijector } from './define-bijector.js';
import { boxOptionsSchema, squash, unsquash, type BoxOptions } from './sigmoid.js';

/**
 * Logit bijector box → R^dim (`[n, dim]` rows); its forward needs points strictly inside the box.
 * Source: the logit preprocessing of Dinh, Sohl-Dickstein & Bengio, "Real NVP", ICLR 2017, §4.1.
 */
export function logit(options: BoxOptions): PfmBijector<z.output<typeof boxOptionsSchema>> {
  const parsed = boxOptionsSchema.parse(options);
  return defineBijector({
    type: 'logit',
    dim: parsed.dim,
    variables: [],
    options: () => parsed,
    forward: (zIn) => unsquash(zIn, parsed),
    inverse: (x) => squash(x, parsed),
  });
}
