import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({
  entry: { index: 'src/index.ts', base: 'src/base.ts', 'kernel-inputs': 'src/kernel-inputs.ts' },
  // One copy of the factory for both entries; kernel-inputs (the checks of pfm's kernels, shared with
  // @pfm/backend-wasm) has no side effect.
  splitting: true,
});
