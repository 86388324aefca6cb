// [ot-flow-matching] OT-CFM (Tong et al. 2024, §3.3; Pooladian et al. 2023): conditional flow
// matching whose noise–data pairs in each minibatch follow the exact optimal-transport assignment
// for the squared Euclidean cost, which straightens the paths and lowers the transport cost.
import { flowMatchingEntry } from './flow-matching-entry.js';

/** Registry entry `ot-flow-matching` (minibatch exact-OT coupling by default). */
export const otFlowMatching = flowMatchingEntry(
  'ot-flow-matching',
  'Flow matching with the minibatch exact optimal-transport coupling (OT-CFM)',
  'exact-ot',
);
