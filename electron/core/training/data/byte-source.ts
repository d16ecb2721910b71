// Where the CSV/TSV reader's bytes come from: a file as it is, or a gzip'd file inflated as it is read (never held
// whole), with the inflated bytes counted against a limit so that a small .gz cannot grow past the data limit.
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from '../../app-error.js';

export interface ByteSource {
  /** Fills buf[offset, offset + length) as far as it can; 0 at the end. */
  read(buf: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

export function isGzipped(file: string): boolean {
  return file.toLowerCase().endsWith('.gz');
}

/** The file's bytes (inflated when `file` ends in .gz; `maxBytes` bounds the inflated size). */
export async function openBytes(absPath: string, file: string, maxBytes: number): Promise<ByteSource> {
  if (!isGzipped(file)) {
    const handle = await fs.promises.open(absPath, 'r');
    return {
      read: async (buf, offset, length) => (await handle.read(buf, offset, length, null)).bytesRead,
      close: () => handle.close(),
    };
  }
  const stream = openInflated(absPath, file, maxBytes);
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | null = null;
  return {
    read: async (buf, offset, length) => {
      if (!pending || pending.length === 0) {
        const next = await chunks.next();
        if (next.done) return 0;
        pending = next.value;
      }
      const n = Math.min(length, pending.length);
      pending.copy(buf, offset, 0, n);
      pending = pending.subarray(n);
      return n;
    },
    close: async () => {
      stream.destroy();
    },
  };
}

/** A readable of the inflated bytes of a gzip'd file; errors name the file (a bad stream, or past maxBytes). */
export function openInflated(absPath: string, file: string, maxBytes: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new AppError('training', `${file}: more than ${maxBytes} bytes once decompressed, over the data limit`));
      else done(null, chunk);
    },
  });
  const gunzip = zlib.createGunzip();
  const raw = fs.createReadStream(absPath);
  const fail = (error: Error) =>
    counter.destroy(error instanceof AppError ? error : new AppError('training', `${file}: not a readable gzip file (${error.message})`));
  raw.on('error', fail);
  gunzip.on('error', fail);
  return raw.pipe(gunzip).pipe(counter);
}
