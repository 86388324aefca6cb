import { chmodSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkWritable } from './check-writable.js';
import { fsErrorReason } from './fs-error-reason.js';
import { rejection } from './rejection-support.js';

/** The error a synchronous file operation throws (fails the test if it throws none). */
function thrownBy(operation: () => unknown): NodeJS.ErrnoException {
  try {
    operation();
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error('expected the operation to fail');
}

// Root ignores permission bits, so a directory of mode 0500 accepts its files: the test of the
// mode is skipped there (the sysfs test below gives root a real refusal instead).
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('fsErrorReason names the real cause of a failed write', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pfm-fs-reason-'));
  });
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  // Linux's /dev/full fails every write with ENOSPC, as a full disk does.
  it.skipIf(!existsSync('/dev/full'))('a full disk: "no space left on the device" (a real ENOSPC from /dev/full)', () => {
    const error = thrownBy(() => writeFileSync('/dev/full', 'x'));
    expect(error.code).toBe('ENOSPC');
    expect(fsErrorReason(error, '/dev')).toBe('no space left on the device');
  });

  it.skipIf(isRoot || process.platform === 'win32')('a directory without write permission (mode 0500): "permission denied in" it', async () => {
    chmodSync(dir, 0o500);
    const error = thrownBy(() => openSync(join(dir, 'o.csv'), 'wx'));
    expect(error.code).toBe('EACCES');
    expect(fsErrorReason(error, dir)).toBe(`permission denied in "${dir}"`);
    expect((await rejection(checkWritable(join(dir, 'o.csv')))).message).toBe(
      `cannot write "${join(dir, 'o.csv')}": cannot create files there (permission denied in "${dir}")`,
    );
  });

  // sysfs refuses new files even to root: EACCES where it is mounted read-write, EROFS where it is
  // mounted read-only (as in many containers). Either way the message names that cause.
  it.skipIf(!existsSync('/sys/kernel'))('a directory that refuses new files to everyone (/sys): permission denied, or a read-only file system', async () => {
    const path = '/sys/pfm-o.csv';
    const error = thrownBy(() => openSync(path, 'wx'));
    const expected: Record<string, string> = { EACCES: 'permission denied in "/sys"', EROFS: 'the file system of "/sys" is read-only' };
    expect(Object.keys(expected)).toContain(error.code);
    expect((await rejection(checkWritable(path))).message).toBe(`cannot write "${path}": cannot create files there (${expected[error.code!]})`);
  });

  // No read-only mount can be made here without privileges; the errors below are built with the
  // codes Node gives them (the codes and their words are what is tested).
  it('read-only file system, quota, file size, name length: each named, with the directory where it matters', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
    expect(fsErrorReason(errno('EROFS'), '/mnt/ro')).toBe('the file system of "/mnt/ro" is read-only');
    expect(fsErrorReason(errno('EDQUOT'), '/home/u')).toBe('the disk quota of this user is used up on the file system of "/home/u"');
    expect(fsErrorReason(errno('EFBIG'), '/d')).toBe('the file is larger than the file system allows');
    expect(fsErrorReason(errno('ENAMETOOLONG'), '/d')).toBe('the file name is too long');
    expect(fsErrorReason(errno('EMFILE'), '/d')).toBe('too many open files');
    expect(fsErrorReason(errno('EIO'), '/d')).toBe('an input/output error on the device of "/d"');
    expect(fsErrorReason(errno('EWHATEVER'), '/d')).toBe('EWHATEVER: failed');
  });

  it('a missing directory and an existing one that takes no files are told apart', () => {
    const gone = join(dir, 'gone');
    expect(fsErrorReason(Object.assign(new Error('x'), { code: 'ENOENT' }), gone)).toBe(`the directory "${gone}" does not exist`);
    expect(fsErrorReason(Object.assign(new Error('x'), { code: 'ENOENT' }), dir)).toBe(
      `the directory "${dir}" exists but does not accept new files (a virtual or special file system)`,
    );
  });
});
