// Node only.
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsErrorReason } from './fs-error-reason.js';

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one,
 * never a partial file: the bytes go to a temporary file `.pfm-tmp-<name>-<random>` in the same
 * directory, are flushed to disk (fsync), and the temporary file is renamed over the target.
 * On any failure the temporary file is removed, an existing target is left untouched, and the
 * Error names the path (its `cause` is the underlying error). A new file gets the default mode;
 * a replaced file keeps its mode. A target that exists and is not a regular file (a device such
 * as `/dev/null`, a FIFO) is written through in place, since there is nothing to replace atomically.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('writeFileAtomic: expected a file path');
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new TypeError(`writeFileAtomic(${path}): data must be a string or a Uint8Array`);
  }
  const directory = dirname(path);
  const temporary = join(directory, `.pfm-tmp-${basename(path)}-${randomBytes(6).toString('hex')}`);
  let created = false;
  try {
    let mode: number | undefined;
    try {
      const existing = await stat(path);
      if (existing.isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
      if (!existing.isFile()) {
        // A device, FIFO or socket (`--out /dev/null`, `--out /dev/stdout`): there is no file to
        // replace, and renaming over it would swap the device for a regular file. Write through.
        await writeThrough(path, data);
        return;
      }
      mode = existing.mode & 0o7777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const handle = await open(temporary, 'wx', mode ?? 0o666);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
      if (mode !== undefined) await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    created = false;
  } catch (error) {
    if (created) await unlink(temporary).catch(() => undefined);
    throw new Error(`cannot write "${path}": ${fsErrorReason(error, directory)}`, { cause: error });
  }
  await syncDirectory(directory);
}

async function writeThrough(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

// Makes the rename itself durable. Not every platform can open a directory (Windows cannot), so
// this is best effort: the file is complete and in place either way.
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
