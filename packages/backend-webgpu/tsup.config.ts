import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({
  entry: { index: 'src/index.ts', base: 'src/base.ts' },
  // One copy of the factory for both entries.
  splitting: true,
});
