// Reads a request body within limits: a size cap per request (refused from the Content-Length alone, before a byte
// is read), a smaller cap for bodies without one, and a bound on the bytes held across all requests at once.
import type { IncomingMessage } from 'node:http';

export interface BodyLimits {
  /** The largest body with a Content-Length (a trained model's weights coming back from a page, base64 in JSON). */
  readonly maxBody: number;
  /** The largest body sent without a Content-Length (chunked): the browser always sends one. */
  readonly maxChunkedBody: number;
  /** The most body bytes all requests together may hold at once. */
  readonly maxInFlight: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBody: 512 * 1024 * 1024,
  maxChunkedBody: 16 * 1024 * 1024,
  maxInFlight: 768 * 1024 * 1024,
};

export type BodyResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  /** 413: this request is over a cap. */
  | { readonly kind: 'too-large'; readonly message: string }
  /** 503: other requests hold the in-flight budget now; this one may succeed later. */
  | { readonly kind: 'busy'; readonly message: string }
  /** The client went away, or the body did not match its Content-Length. */
  | { readonly kind: 'aborted' };

/** One per server: how many body bytes its requests hold right now. */
export class BodyBudget {
  private held = 0;

  constructor(readonly limits: BodyLimits = DEFAULT_BODY_LIMITS) {}

  get inFlight(): number {
    return this.held;
  }

  /**
   * Reads the whole body of `req` and hands it to `parse` (its bytes count against the budget until `parse`
   * returns), or says why not, keeping none of a refused body.
   */
  async read<T>(req: IncomingMessage, parse: (body: Buffer) => T): Promise<BodyResult<T>> {
    const { maxBody, maxChunkedBody, maxInFlight } = this.limits;
    const header = req.headers['content-length'];
    const declared = header === undefined ? null : Number(header);
    if (declared !== null && !(Number.isSafeInteger(declared) && declared >= 0)) return { kind: 'aborted' };
    if (declared !== null && declared > maxBody) {
      return { kind: 'too-large', message: `Request body too large: ${megabytes(declared)} declared, the limit is ${megabytes(maxBody)}` };
    }
    let reserved = 0;
    const reserve = (bytes: number) => {
      if (this.held + bytes > maxInFlight) return false;
      this.held += bytes;
      reserved += bytes;
      return true;
    };
    try {
      // A declared body is reserved whole up front, and written into one buffer of that size (no chunk list, no
      // concatenated copy); a chunked one is reserved as it arrives.
      if (declared !== null && !reserve(declared)) return busy(maxInFlight);
      const body = await new Promise<Buffer | Exclude<BodyResult<T>, { kind: 'ok' }>>((resolve) => {
        const whole = declared !== null ? Buffer.allocUnsafe(declared) : null;
        const chunks: Buffer[] = [];
        let size = 0;
        const stop = (result: Buffer | Exclude<BodyResult<T>, { kind: 'ok' }>) => {
          req.off('data', onData).off('end', onEnd).off('error', onAborted).off('aborted', onAborted);
          // A refused body is drained with no listener (discarded as it comes), not destroyed: that would close
          // the socket before the 413 is written.
          if (!Buffer.isBuffer(result)) req.resume();
          resolve(result);
        };
        const onData = (b: Buffer) => {
          if (whole) {
            if (size + b.length > whole.length) return stop({ kind: 'aborted' });
            b.copy(whole, size);
          } else {
            if (size + b.length > maxChunkedBody) {
              return stop({ kind: 'too-large', message: `Request body too large: a body without a Content-Length may be at most ${megabytes(maxChunkedBody)}` });
            }
            if (!reserve(b.length)) return stop(busy(maxInFlight));
            chunks.push(b);
          }
          size += b.length;
        };
        const onEnd = () => stop(whole ? (size === whole.length ? whole : { kind: 'aborted' }) : Buffer.concat(chunks, size));
        const onAborted = () => stop({ kind: 'aborted' });
        req.on('data', onData).on('end', onEnd).on('error', onAborted).on('aborted', onAborted);
      });
      if (!Buffer.isBuffer(body)) return body;
      return { kind: 'ok', value: parse(body) };
    } finally {
      this.held -= reserved;
    }
  }
}

function busy(maxInFlight: number): { kind: 'busy'; message: string } {
  return { kind: 'busy', message: `The server is already receiving ${megabytes(maxInFlight)} of other requests; retry when they finish` };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}
