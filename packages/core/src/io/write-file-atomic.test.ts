import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkWritable } from './check-writable.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { rejection } from './rejection-support.js';

// Failures injected into node:fs/promises as the code under test sees it.
const inject = vi.hoisted(() => ({
  rename: undefined as string | undefined,
  write: undefined as string | undefined,
  open: undefined as string | undefined,
  /** Free bytes statfs reports (undefined: the real value; null: statfs fails). */
  free: undefined as number | null | undefined,
}));
const errnoError = (code: string) => Object.assign(new Error(`${code}: injected failure`), { code });

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    statfs: async (...args: Parameters<typeof real.statfs>) => {
      if (inject.free === null) throw errnoError('ENOSYS');
      const info = await real.statfs(...args);
      return inject.free === undefined ? info : { ...info, bsize: 4096, bavail: inject.free / 4096 };
    },
    rename: async (from: string, to: string) => {
      if (inject.rename) throw errnoError(inject.rename);
      return real.rename(from, to);
    },
    open: async (...args: Parameters<typeof real.open>) => {
      if (inject.open && String(args[0]).includes('.pfm-tmp-')) throw errnoError(inject.open);
      const handle = await real.open(...args);
      if (inject.write) {
        const code = inject.write;
        handle.writeFile = async () => {
          throw errnoError(code);
        };
      }
      return handle;
    },
  };
});

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pfm-io-atomic-'));
});
afterEach(async () => {
  inject.rename = inject.write = inject.open = inject.free = undefined;
  await rm(dir, { recursive: true, force: true });
});

const leftovers = async () => (await readdir(dir)).filter((n) => n.startsWith('.pfm-tmp-'));
describe('writeFileAtomic', () => {
  it('writes text and bytes, leaving no temporary file', async () => {
    const path = join(dir, 'a.txt');
    await writeFileAtomic(path, 'héllo\n');
    expect(await readFile(path, 'utf8')).toBe('héllo\n');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect(Array.from(await readFile(path))).toEqual([1, 2, 3]);
    expect(await leftovers()).toEqual([]);
  });

  // `--out /dev/null` as root once renamed a regular file over the device. A FIFO stands in for
  // the device here (making one needs no privilege); the write must go through it, in place.
  it.skipIf(process.platform === 'win32')('writes through a target that is not a regular file (a FIFO, a device) instead of replacing it', async () => {
    const path = join(dir, 'pipe');
    try {
      execFileSync('mkfifo', [path]);
    } catch {
      return; // no mkfifo on this system
    }
    const [received] = await Promise.all([readFile(path, 'utf8'), writeFileAtomic(path, 'through the pipe\n')]);
    expect(received).toBe('through the pipe\n');
    expect((await stat(path)).isFIFO()).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('keeps the mode of a replaced file', async () => {
    const path = join(dir, 'a.txt');
    await writeFile(path, 'old');
    await chmod(path, 0o640);
    await writeFileAtomic(path, 'new');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });

  it('leaves the old file intact and removes the temporary file when the rename fails', async () => {
    const path = join(dir, 'model.json');
    await writeFile(path, 'old content');
    inject.rename = 'EXDEV';
    const error = await rejection(writeFileAtomic(path, 'new content'));
    expect(error.message).toBe(`cannot write "${path}": EXDEV: injected failure`);
    expect((error.cause as { code: string }).code).toBe('EXDEV');
    expect(await readFile(path, 'utf8')).toBe('old content');
    expect(await leftovers()).toEqual([]);
  });

  it('leaves the old file intact when writing the data fails (disk full)', async () => {
    const path = join(dir, 'model.json');
    await writeFile(path, 'old content');
    inject.write = 'ENOSPC';
    const error = await rejection(writeFileAtomic(path, 'new content'));
    expect(error.message).toBe(`cannot write "${path}": no space left on the device`);
    expect(await readFile(path, 'utf8')).toBe('old content');
    expect(await leftovers()).toEqual([]);
  });

  it('names the path when the directory is missing or the target is a directory', async () => {
    const missing = join(dir, 'missing', 'x.txt');
    expect((await rejection(writeFileAtomic(missing, 'x'))).message).toBe(
      `cannot write "${missing}": the directory "${join(dir, 'missing')}" does not exist`,
    );
    await mkdir(join(dir, 'sub'));
    expect((await rejection(writeFileAtomic(join(dir, 'sub'), 'x'))).message).toBe(`cannot write "${join(dir, 'sub')}": it is a directory`);
    expect(await leftovers()).toEqual([]);
  });

  it('concurrent writers leave one complete version', async () => {
    const path = join(dir, 'c.txt');
    const versions = Array.from({ length: 8 }, (_, i) => `${i}`.repeat(10_000));
    await Promise.all(versions.map((v) => writeFileAtomic(path, v)));
    expect(versions).toContain(await readFile(path, 'utf8'));
    expect(await leftovers()).toEqual([]);
  });
});

describe('checkWritable', () => {
  it('accepts a writable directory and leaves nothing behind', async () => {
    await expect(checkWritable(join(dir, 'out.json'))).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('says what is wrong, naming the path', async () => {
    const missing = join(dir, 'nope', 'out.json');
    expect((await rejection(checkWritable(missing))).message).toBe(
      `cannot write "${missing}": the directory "${join(dir, 'nope')}" does not exist`,
    );
    await writeFile(join(dir, 'file'), '');
    const underFile = join(dir, 'file', 'out.json');
    expect((await rejection(checkWritable(underFile))).message).toBe(`cannot write "${underFile}": "${join(dir, 'file')}" is not a directory`);
    await mkdir(join(dir, 'out.json'));
    expect((await rejection(checkWritable(join(dir, 'out.json')))).message).toBe(`cannot write "${join(dir, 'out.json')}": it is a directory`);
    inject.open = 'EACCES';
    const denied = join(dir, 'other.json');
    expect((await rejection(checkWritable(denied))).message).toBe(
      `cannot write "${denied}": cannot create files there (permission denied in "${dir}")`,
    );
  });

  it('with bytes, reports a full disk before any work; skips the check where free space is unknown', async () => {
    const out = join(dir, 'model.json');
    inject.free = 4096 * 3;
    expect((await rejection(checkWritable(out, { bytes: 5 * 1024 * 1024 }))).message).toBe(
      `cannot write "${out}": not enough free space in "${dir}": about 5.0 MiB needed, 12.0 KiB free`,
    );
    await expect(checkWritable(out, { bytes: 4096 })).resolves.toBeUndefined();
    inject.free = null;
    await expect(checkWritable(out, { bytes: 2 ** 50 })).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });
});
