import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({
  external: ['@tensorflow/tfjs-core', '@pfm/core', '@pfm/datasets', '@pfm/flows', '@pfm/ipm', '@pfm/likelihood'],
});
