// The Hugging Face Hub as a browse source (optional, online): model search by library and text with
// @huggingface/hub's listModels, only once the user turned the source on; each listing kept in the store for
// offline use; a token only when the user gives one (held in memory) or HF_TOKEN is set, never stored or logged.
// A Hub model is a git repository at <hubUrl>/<id>: its card clones like any git URL (LFS included).
import {
  HUB_MODEL_ID,
  HUB_URL_DEFAULT,
  HubSearchQuery,
  type HubModel,
  type HubSearchResult,
  type HubSettings,
} from '../../../shared/catalog.js';
import { AppError, oneLine } from '../app-error.js';
import type { Db } from '../store/database.js';
import { HubStore } from './hub-store.js';

export interface HubSourceOptions {
  /** HF_ENDPOINT (another Hub: a mirror, the tests' loopback server) and HF_TOKEN are read from here. */
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: typeof fetch;
}

export interface HubSearchOptions {
  readonly signal?: AbortSignal;
}

const DEFAULT_LIMIT = 50;
/** The Hub's own token format: `hf_` and letters/digits. */
const HUB_TOKEN = /^hf_[A-Za-z0-9]{8,}$/;

export class HubSource {
  readonly hubUrl: string;
  private readonly store: HubStore;
  private readonly env: NodeJS.ProcessEnv;
  private readonly fetchImpl: typeof fetch;
  /** A token the user entered in this process; never written anywhere. */
  #enteredToken: string | null = null;
  private running: AbortController | null = null;

  constructor(db: Db, options: HubSourceOptions = {}) {
    this.env = options.env ?? process.env;
    this.fetchImpl = options.fetch ?? fetch;
    this.hubUrl = hubUrlFrom(this.env.HF_ENDPOINT);
    this.store = new HubStore(db);
  }

  settings(): HubSettings {
    return { enabled: this.store.enabled(), hubUrl: this.hubUrl, token: this.#enteredToken ? 'entered' : this.envToken() ? 'environment' : 'none' };
  }

  /** Turns the source on or off (kept across restarts); turning it off stops a search under way. */
  setEnabled(enabled: boolean): HubSettings {
    this.store.setEnabled(enabled);
    if (!enabled) this.cancel();
    return this.settings();
  }

  /** Uses `token` for this process's Hub requests (null or empty: forget it). It is never stored or logged. */
  setToken(token: string | null): HubSettings {
    const t = token?.trim() ?? '';
    if (t && !HUB_TOKEN.test(t)) throw new AppError('invalid-request', 'A Hugging Face token starts with hf_ followed by letters and digits');
    this.#enteredToken = t || null;
    return this.settings();
  }

  /**
   * The Hub's models matching the query, most downloaded first. Off: nothing is fetched. When the Hub cannot be
   * read, the listing stored for this search is returned with the reason (or no models, when none is stored).
   * A newer search cancels the one under way.
   */
  async search(rawQuery: HubSearchQuery = {}, options: HubSearchOptions = {}): Promise<HubSearchResult> {
    const parsed = HubSearchQuery.safeParse(rawQuery);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError('invalid-request', `Invalid Hub search: ${issue ? `${issue.path.join('.') || 'query'}: ${issue.message}` : 'bad query'}`);
    }
    if (!this.store.enabled()) return { enabled: false, models: [], asOf: null, fromCache: false, error: null };
    const query = { query: parsed.data.query || undefined, library: parsed.data.library?.toLowerCase(), limit: parsed.data.limit ?? DEFAULT_LIMIT };
    const key = JSON.stringify([query.query ?? '', query.library ?? '', query.limit]);

    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    const signal = options.signal ? AbortSignal.any([abort.signal, options.signal]) : abort.signal;
    try {
      const models = await this.fetchModels(query, signal);
      const fetchedAt = new Date().toISOString();
      this.store.saveListing(key, { models, fetchedAt });
      return { enabled: true, models, asOf: fetchedAt, fromCache: false, error: null };
    } catch (err) {
      if (signal.aborted) throw new AppError('conflict', 'The Hub search was cancelled');
      const error = hubErrorLine(err, this.hubUrl);
      const stored = this.store.listing(key);
      return stored
        ? { enabled: true, models: stored.models, asOf: stored.fetchedAt, fromCache: true, error }
        : { enabled: true, models: [], asOf: null, fromCache: false, error };
    } finally {
      if (this.running === abort) this.running = null;
    }
  }

  /** Stops the search under way; false when there is none. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.abort();
    this.running = null;
    return true;
  }

  cancelAll(): void {
    this.cancel();
  }

  private envToken(): string | null {
    const t = this.env.HF_TOKEN?.trim();
    return t ? t : null;
  }

  private async fetchModels(query: { query: string | undefined; library: string | undefined; limit: number }, signal: AbortSignal): Promise<HubModel[]> {
    // @huggingface/hub takes half a second to load: only a search loads it, never a CLI start.
    const { listModels } = await import('@huggingface/hub');
    const token = this.#enteredToken ?? this.envToken();
    const fetchImpl = this.fetchImpl;
    const models: HubModel[] = [];
    const listing = listModels({
      hubUrl: this.hubUrl,
      search: { ...(query.query ? { query: query.query } : {}), ...(query.library ? { tags: [query.library] } : {}) },
      additionalFields: ['author', 'library_name'],
      sort: 'downloads',
      limit: query.limit,
      ...(token ? { accessToken: token as `hf_${string}` } : {}),
      fetch: (input, init) => fetchImpl(input, { ...init, signal }),
    });
    for await (const entry of listing) {
      const model = toHubModel(entry, this.hubUrl);
      if (model) models.push(model);
    }
    return models;
  }
}

interface ListedModel {
  name: string;
  author?: string;
  library_name?: string;
  downloads: number;
  likes: number;
  updatedAt: Date;
}

/** A listed model as a card's facts; null for an id that is not `owner/name` (never a URL or a path). */
export function toHubModel(entry: ListedModel, hubUrl: string): HubModel | null {
  if (typeof entry.name !== 'string' || !HUB_MODEL_ID.test(entry.name) || entry.name.includes('..')) return null;
  const date = entry.updatedAt instanceof Date && !Number.isNaN(entry.updatedAt.getTime()) ? entry.updatedAt : new Date(0);
  const url = `${hubUrl}/${entry.name}`;
  return {
    id: entry.name,
    author: typeof entry.author === 'string' && entry.author ? entry.author : entry.name.includes('/') ? entry.name.split('/')[0]! : '',
    downloads: count(entry.downloads),
    likes: count(entry.likes),
    library: typeof entry.library_name === 'string' && entry.library_name ? entry.library_name : null,
    lastModified: date.toISOString(),
    pageUrl: url,
    cloneUrl: url,
  };
}

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** HF_ENDPOINT without a trailing slash, or the Hub itself; anything but an http(s) URL is refused. */
export function hubUrlFrom(endpoint: string | undefined): string {
  const raw = endpoint?.trim();
  if (!raw) return HUB_URL_DEFAULT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid-request', `HF_ENDPOINT is not a URL: ${oneLine(raw).slice(0, 200)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('invalid-request', 'HF_ENDPOINT must be an http(s) URL');
  if (url.username || url.password) throw new AppError('invalid-request', 'HF_ENDPOINT must not carry credentials');
  return url.toString().replace(/\/+$/, '');
}

/** One line saying why the Hub could not be read: a rate limit, a refused token, another HTTP status, no network. */
export function hubErrorLine(err: unknown, hubUrl: string): string {
  // @huggingface/hub's HubApiError (loaded on demand, so recognised by its fields): the Hub answered, not 2xx.
  if (err instanceof Error && typeof (err as { statusCode?: unknown }).statusCode === 'number' && 'url' in err) {
    const status = (err as unknown as { statusCode: number }).statusCode;
    if (status === 429) return 'The Hugging Face Hub is rate-limiting requests from here (HTTP 429): try again later, or give a Hub token';
    if (status === 401 || status === 403) return `The Hugging Face Hub refused the request (HTTP ${status}): check the Hub token`;
    // The library appends ". URL: …. Request ID: …" to the Hub's own message: keep the message.
    const message = oneLine(err.message.replace(/\.\s*URL: .*$/s, '')).slice(0, 300);
    return `The Hugging Face Hub answered HTTP ${status}: ${message}`;
  }
  const cause = (err as { cause?: { code?: string } } | null)?.cause;
  const code = cause && typeof cause.code === 'string' ? cause.code : null;
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    return `The Hugging Face Hub at ${hubUrl} could not be reached${code ? ` (${code})` : ''}`;
  }
  return `Reading the Hugging Face Hub failed: ${oneLine(err instanceof Error ? err.message : String(err)).slice(0, 300)}`;
}
