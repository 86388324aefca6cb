// `@pfm/core/register`: the one entry of @pfm/core with a side effect. Importing it registers
// tfjs-core's gradients and chained tensor methods (x.add(y), …), plus the gradients tfjs 4.22
// lacks on every backend (TopK, StridedSlice, Cumprod, comparisons), into tfjs's global
// registries (globalThis._tfGlobals, shared by every copy of tfjs-core). The backend packages'
// main entries import it, so `import { cpu } from '@pfm/backend-cpu'` is enough.
//
// tfjs-core's Node entry (tf-core.node.js) registers neither, and its ESM sources use
// extensionless imports that Node refuses; the build bundles these modules instead.
import * as tf from '@tensorflow/tfjs-core';
// First: the bundled modules below must find the public entry's engine already made.
import { publicEngine } from './tfjs/engine-first.js';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { registerMissingGradients } from './tfjs/missing-gradients.js';

if (tf.engine() !== publicEngine) {
  throw new Error("@pfm/core/register: tfjs's gradients attached to a second engine; load one copy of @tensorflow/tfjs-core 4.22");
}
registerMissingGradients();
