import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkWritable } from './check-writable.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { rejection } from './rejection-support.js';

// procfs answers ENOENT to creating a file in a directory that exists; the message used to say the
// directory does not exist.
describe.skipIf(!existsSync('/proc/self'))('an output in a directory that exists but takes no new files', () => {
  it('checkWritable says the directory exists but does not accept new files', async () => {
    expect((await rejection(checkWritable('/proc/o.csv'))).message).toBe(
      'cannot write "/proc/o.csv": cannot create files there (the directory "/proc" exists but does not accept new files (a virtual or special file system))',
    );
  });

  it('writeFileAtomic says the same', async () => {
    expect((await rejection(writeFileAtomic('/proc/o.csv', 'x'))).message).toBe(
      'cannot write "/proc/o.csv": the directory "/proc" exists but does not accept new files (a virtual or special file system)',
    );
  });
});
