// A user plugin with image data sets, as `pfm --plugin` loads it, for the tests of image input:
//   squares (dataset): a fixed set of 3 images of 2 × 2 × 1, labelled 0, 1, 2;
//   mislabelled-squares (dataset): the same images with only 2 labels (a broken plugin);
//   unlabelled-squares (dataset): the same images without labels.
import { definePlugin, empirical } from '@pfm/core';
import { z } from 'zod';

const images = () => empirical({ rows: 3, cols: 4, values: Float32Array.from({ length: 12 }, (_, i) => i / 11) });

export default definePlugin({
  name: 'pfm-cli-image-fixture',
  version: '1.0.0',
  entries: [
    {
      kind: 'dataset',
      id: 'squares',
      description: '3 grey images of 2 × 2, labelled 0, 1, 2',
      schema: z.object({}).strict(),
      create: () => Object.assign(images(), { eventShape: [2, 2, 1], labels: Int32Array.from([0, 1, 2]) }),
    },
    {
      kind: 'dataset',
      id: 'mislabelled-squares',
      description: '3 grey images of 2 × 2 with 2 labels',
      schema: z.object({}).strict(),
      create: () => Object.assign(images(), { eventShape: [2, 2, 1], labels: Int32Array.from([0, 1]) }),
    },
    {
      kind: 'dataset',
      id: 'unlabelled-squares',
      description: '3 grey images of 2 × 2 without labels',
      schema: z.object({}).strict(),
      create: () => Object.assign(images(), { eventShape: [2, 2, 1] }),
    },
  ],
});
