import { dataFormatFromPath, type DataFormat } from '@pfm/core';
import { checkWritable } from '@pfm/core/node';

/**
 * Before any computation: the data file `path` has a known extension (.csv, .json, .npy) and can
 * be written, so a long computation never fails at its end. Returns the format.
 */
export async function prepareDataOutput(path: string): Promise<DataFormat> {
  const format = dataFormatFromPath(path);
  await checkWritable(path);
  return format;
}
