// Node only (internal): a file-system error as a short reason for a message that already names
// the target path.

/** Why a file operation in `directory` failed, in words (falls back to the error's message). */
export function fsErrorReason(error: unknown, directory: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `the directory "${directory}" does not exist`;
    case 'ENOTDIR':
      return `"${directory}" is not a directory`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in "${directory}"`;
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
