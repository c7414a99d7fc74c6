/** Plain words for the errors a file or a pipe can give, for one-line messages. */
const phrases: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EPIPE: 'the reader has gone (broken pipe)',
  EBADF: 'bad file descriptor',
  ETXTBSY: 'file is busy',
  ERR_STREAM_DESTROYED: 'the stream was closed',
  ERR_STREAM_WRITE_AFTER_END: 'the stream was ended',
};

/** The error's code (`ENOSPC`), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const {code} = error;
    return typeof code === 'string' ? code : undefined;
  }

  return undefined;
}

/** A short reason without the code: `no space left on device`. */
export function errorReason(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && phrases[code] !== undefined) {
    return phrases[code];
  }

  if (error instanceof Error) {
    // Node's messages repeat the code and the call (`ENOSPC: no space left on device, write`).
    const message = error.message
      .replace(/^[A-Z_]+: /v, '')
      .replace(/, \w+(?: '.*')?$/v, '');
    return message === '' ? (code ?? 'unknown error') : message;
  }

  return String(error);
}

/** A short reason with the code, for messages about a failure while running: `no space left on device (ENOSPC)`. */
export function describeSystemError(error: unknown): string {
  const code = errorCode(error);
  const reason = errorReason(error);
  return code === undefined ? reason : `${reason} (${code})`;
}
