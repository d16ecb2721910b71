// What both forge syncs share: the one fetch every request goes through (counts requests, refuses any host
// but the forge's API, so a token never leaves it), the rate budget read from response headers, progress.
import type { ForgeProgress, RateBudget } from '../../../shared/forge.js';

export type ProgressReport = Omit<ForgeProgress, 'projectId'>;

export interface SyncContext {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ProgressReport) => void;
  /** Where a wait for the rate limit or a rejected request is said (never headers or the token). */
  readonly log?: (line: string) => void;
}

export class ForgeHttp {
  requests = 0;
  notModified = 0;
  rate: RateBudget | null = null;
  private readonly origin: string;

  constructor(apiUrl: string, private readonly context: SyncContext) {
    this.origin = new URL(apiUrl).origin;
  }

  /** fetch for the forge clients: only the API's own origin, and every response's rate headers noted. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.origin !== this.origin) {
      throw new Error(`The forge pointed at ${url.origin}, which is not its API (${this.origin}): not followed, so the token stays with the API`);
    }
    this.context.signal?.throwIfAborted();
    this.requests++;
    const res = await fetch(input, { ...init, ...(this.context.signal ? { signal: this.context.signal } : {}) });
    if (res.status === 304) this.notModified++;
    this.noteRate(res.headers);
    return res;
  };

  private noteRate(h: Headers): void {
    const num = (name: string) => {
      const v = h.get(name);
      return v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v);
    };
    const limit = num('x-ratelimit-limit') ?? num('ratelimit-limit');
    const remaining = num('x-ratelimit-remaining') ?? num('ratelimit-remaining');
    const reset = num('x-ratelimit-reset') ?? num('ratelimit-reset');
    if (limit === null && remaining === null) return;
    this.rate = { limit, remaining, resetAt: reset === null ? null : new Date(reset * 1000).toISOString() };
  }

  progress(list: string, fetched: number, waitingSeconds: number | null = null): void {
    this.context.onProgress?.({ list, fetched, requests: this.requests, waitingSeconds });
  }
}

/** The largest of ISO timestamps (they compare as text when in one format, as forge APIs give them). */
export function latest(a: string | null, b: string | null | undefined): string | null {
  if (!b) return a;
  return a === null || Date.parse(b) > Date.parse(a) ? b : a;
}
