// Node only.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, stat, statfs, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsErrorReason } from './fs-error-reason.js';

/**
 * Checks, before a long computation, that `path` can be written later: its directory exists and
 * is a directory, a file can be created in it (tested by creating and removing a small
 * `.pfm-tmp-check-` file, which is more reliable than permission bits), and `path` itself is not
 * a directory. With `bytes`, also that the file system has at least that much free space for
 * unprivileged users (skipped where the platform cannot tell). Throws an Error naming the path and
 * the reason; resolves otherwise.
 */
export async function checkWritable(path: string, options: { bytes?: number } = {}): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('checkWritable: expected a file path');
  const directory = dirname(path);
  const problem = (reason: string, cause?: unknown) =>
    new Error(`cannot write "${path}": ${reason}`, cause === undefined ? undefined : { cause });
  const statIfExists = async (p: string): Promise<Stats | undefined> => {
    try {
      return await stat(p);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw problem(fsErrorReason(error, directory), error);
    }
  };

  const directoryInfo = await statIfExists(directory);
  if (!directoryInfo) throw problem(`the directory "${directory}" does not exist`);
  if (!directoryInfo.isDirectory()) throw problem(`"${directory}" is not a directory`);
  if ((await statIfExists(path))?.isDirectory()) throw problem('it is a directory');

  const probe = join(directory, `.pfm-tmp-check-${basename(path)}-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (error) {
    throw problem(`cannot create files there (${fsErrorReason(error, directory)})`, error);
  }
  await unlink(probe).catch(() => undefined);

  const bytes = options.bytes ?? 0;
  if (bytes > 0) {
    let free: number | undefined;
    try {
      const info = await statfs(directory);
      free = Number(info.bavail) * Number(info.bsize);
    } catch {
      free = undefined; // not every platform reports free space: the write itself still fails cleanly
    }
    if (free !== undefined && free < bytes) {
      throw problem(`not enough free space in "${directory}": about ${formatBytes(bytes)} needed, ${formatBytes(free)} free`);
    }
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
