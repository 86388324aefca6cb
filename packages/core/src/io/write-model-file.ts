// Node only.
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ModelFileContent } from './model-file.js';
import { ModelFileError } from './model-file-error.js';
import { encodeModelFile } from './encode-model-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Writes a model file at `path` (see encodeModelFile). With `weights: 'binary'` the weights go to
 * a side file in the same directory named after the model and a hash of the weights
 * (`model.json` → `model.1a2b3c4d.bin`, or `model.1a2b3c4d.safetensors` with `weights:
 * 'safetensors'`), written first, so the JSON never names a weights file that is not there yet, and a failed JSON write leaves the previous JSON with its own, untouched weights
 * file. Once the JSON is in place, weights files of earlier versions of this model are removed.
 * Each file is written atomically (see writeFileAtomic).
 */
export async function writeModelFile(
  path: string,
  content: ModelFileContent,
  options: { weights?: 'inline' | 'binary' | 'safetensors' } = {},
): Promise<void> {
  const mode = options.weights ?? 'inline';
  if (mode === 'inline') {
    await writeFileAtomic(path, encodeModelFile(content, { weights: 'inline', source: path }).json);
    return;
  }
  const name = basename(path);
  const stem = name.toLowerCase().endsWith('.json') ? name.slice(0, -5) : name;
  if (stem === '') {
    const detail = 'with binary weights the model file needs a name such as "model.json" (its weights go to "model.bin")';
    throw new ModelFileError(path, '', detail);
  }
  let weightsFileName = '';
  const encoded = encodeModelFile(content, {
    weights: mode,
    weightsFileName: (binary) => (weightsFileName = `${stem}.${fnv1a(binary)}.${mode === 'safetensors' ? 'safetensors' : 'bin'}`),
    source: path,
  });
  const dir = dirname(path);
  await writeFileAtomic(join(dir, weightsFileName), encoded.binary ?? new Uint8Array(0));
  await writeFileAtomic(path, encoded.json);
  const stale = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[0-9a-f]{8}\\.(bin|safetensors)$`);
  for (const entry of await readdir(dir)) {
    if (entry !== weightsFileName && stale.test(entry)) await unlink(join(dir, entry)).catch(() => undefined);
  }
}

/** FNV-1a 32-bit hash of the bytes, as 8 hex digits (names the weights file after its content). */
function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
