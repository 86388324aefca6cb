// The module made at build time by build/mnist-subset-plugin.ts.
declare module 'virtual:mnist-subset' {
  /** Where the bytes are: the training images then the held-out ones, one byte k (value k/255) per pixel. */
  export const url: string;
  export const trainImages: number;
  export const testImages: number;
  /** `[h, w, c]` of one image. */
  export const shape: number[];
  /** The digit of each image (training then held-out), one character '0'…'9' per image. */
  export const digits: string;
}
