// Node only (internal): a file-system error as a short reason for a message that already names
// the target path. ENOENT also comes from virtual file systems (procfs, sysfs) that refuse to
// create files in a directory that exists, so it is only "does not exist" when the directory is gone.
import { statSync } from 'node:fs';

/**
 * Why a file operation in `directory` failed, in words: the errno code of `error` (`EACCES`,
 * `ENOSPC`, `EROFS`, `EDQUOT`, …) named as its cause, so that a message says "permission denied"
 * or "no space left" rather than a generic failure; falls back to the error's message.
 */
export function fsErrorReason(error: unknown, directory: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return directoryExists(directory)
        ? `the directory "${directory}" exists but does not accept new files (a virtual or special file system)`
        : `the directory "${directory}" does not exist`;
    case 'ENOTDIR':
      return `"${directory}" is not a directory`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in "${directory}"`;
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return `the disk quota of this user is used up on the file system of "${directory}"`;
    case 'EFBIG':
      return 'the file is larger than the file system allows';
    case 'EROFS':
      return `the file system of "${directory}" is read-only`;
    case 'ENAMETOOLONG':
      return 'the file name is too long';
    case 'ELOOP':
      return 'too many symbolic links in the path';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return `an input/output error on the device of "${directory}"`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function directoryExists(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
