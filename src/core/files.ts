// Reading the files a user points us at (connections file, CA, client certificate and key): regular files of bounded
// size only, so that `/dev/zero`, a FIFO or a directory is a clear error instead of a read that never ends.
import * as fs from 'node:fs';
import { AuthError } from './errors';

/** Largest connections / certificate file read (1 MiB; a CA bundle is ≈ 200 KB). */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/** Why a file cannot be read, in words (a Node error code otherwise). */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  return code ?? 'error';
}

/**
 * The bytes of a regular file of at most `maxBytes`. The file is opened first and checked through its descriptor, so
 * the check and the read concern the same file. Throws `AuthError('config')` naming `what` and the path.
 */
export function readInputFile(file: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not block.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new AuthError('config', `cannot read the ${what} "${file}" (${reason(e)})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new AuthError('config', `the ${what} "${file}" is not a regular file`);
    if (st.size > maxBytes) {
      throw new AuthError('config', `the ${what} "${file}" is too large (${st.size} bytes; at most ${maxBytes})`);
    }
    // Read to the end but never beyond the limit: the file may have grown since fstat.
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > maxBytes) throw new AuthError('config', `the ${what} "${file}" is too large (more than ${maxBytes} bytes)`);
    }
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof AuthError) throw e;
    throw new AuthError('config', `cannot read the ${what} "${file}" (${reason(e)})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Text of a UTF-8 file without its byte-order mark (Notepad writes one by default). */
export function readInputText(file: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): string {
  return stripBom(readInputFile(file, what, maxBytes).toString('utf8'));
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
