// Registers tfjs-core's gradients and chained tensor methods (x.add(y), …), plus the
// gradients tfjs 4.22 lacks on every backend (TopK, StridedSlice, Cumprod).
//
// tfjs-core's Node entry (tf-core.node.js) registers neither, and its ESM sources use
// extensionless imports that Node refuses; the build bundles these modules instead.
// They register into tfjs's global registries (globalThis._tfGlobals), which every
// copy of tfjs-core shares, so this works beside any tfjs-core 4.22 the user loads.
import './engine-first.js';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { registerMissingGradients } from './missing-gradients.js';

registerMissingGradients();
