// The shape of one image, channels last: [height, width, channels] (NHWC rows as tfjs convolutions use).
import { z } from 'zod';

/** `[h, w, c]`, three positive integers. */
export const imageShapeSchema = z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]);

/** An image shape `[h, w, c]`. */
export type ImageShape = z.output<typeof imageShapeSchema>;
