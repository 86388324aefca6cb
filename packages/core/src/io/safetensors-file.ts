// Node only.
import { readFile, stat } from 'node:fs/promises';
import { SAFETENSORS_LIMITS, type SafetensorsContent } from './safetensors.js';
import { decodeSafetensors, type SafetensorsDecodeOptions } from './safetensors-decode.js';
import { encodeSafetensors } from './safetensors-encode.js';
import { SafetensorsError } from './safetensors-error.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Reads and validates a safetensors file (see decodeSafetensors). Its size is checked against
 * the limits (header plus data) before it is read; devices and pipes are refused.
 */
export async function readSafetensorsFile(path: string, options: Omit<SafetensorsDecodeOptions, 'source'> = {}): Promise<SafetensorsContent> {
  const limit = 8 + (options.maxHeaderBytes ?? SAFETENSORS_LIMITS.maxHeaderBytes) + (options.maxDataBytes ?? SAFETENSORS_LIMITS.maxDataBytes);
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new SafetensorsError(path, '', 'is a directory, expected a .safetensors file');
    if (!info.isFile()) throw new SafetensorsError(path, '', 'is not a regular file (a device, pipe or socket)');
    if (info.size > limit) throw new SafetensorsError(path, '', `has ${info.size} bytes, more than the limit (${limit})`);
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    if (error instanceof SafetensorsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SafetensorsError(path, '', code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`, { cause: error });
  }
  return decodeSafetensors(bytes, { ...options, source: path });
}

/** Writes tensors as a safetensors file (see encodeSafetensors), atomically: encoded whole first, then written and renamed. */
export async function writeSafetensorsFile(path: string, content: SafetensorsContent): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(content, { source: path }));
}
