import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({ splitting: false, external: ['@tensorflow/tfjs-core', '@pfm/core'] });
