// The Hub source's rows in the store (migration 16): whether the user turned it on, and the last listing of each
// search for offline use. Never a token.
import { HubModel } from '../../../shared/catalog.js';
import type { Db } from '../store/database.js';

/** How many searches' listings are kept (the oldest go first). */
const KEPT_LISTINGS = 100;

export interface StoredListing {
  readonly models: HubModel[];
  /** ISO 8601: when the Hub answered it. */
  readonly fetchedAt: string;
}

export class HubStore {
  constructor(private readonly db: Db) {}

  enabled(): boolean {
    const row = this.db.prepare(`SELECT enabled FROM hub_settings WHERE id = 1`).get() as { enabled: number } | undefined;
    return row?.enabled === 1;
  }

  setEnabled(enabled: boolean): void {
    this.db
      .prepare(`INSERT INTO hub_settings (id, enabled) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET enabled = excluded.enabled`)
      .run(enabled ? 1 : 0);
  }

  listing(key: string): StoredListing | null {
    const row = this.db.prepare(`SELECT models_json, fetched_at FROM hub_listings WHERE search_key = ?`).get(key) as
      | { models_json: string; fetched_at: string }
      | undefined;
    if (!row) return null;
    // A row this version cannot read (edited by hand, written by a newer one) counts as no listing.
    const parsed = HubModel.array().safeParse(safeJson(row.models_json));
    return parsed.success ? { models: parsed.data, fetchedAt: row.fetched_at } : null;
  }

  saveListing(key: string, listing: StoredListing): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO hub_listings (search_key, models_json, fetched_at) VALUES (?, ?, ?)
           ON CONFLICT(search_key) DO UPDATE SET models_json = excluded.models_json, fetched_at = excluded.fetched_at`,
        )
        .run(key, JSON.stringify(listing.models), listing.fetchedAt);
      this.db
        .prepare(`DELETE FROM hub_listings WHERE search_key NOT IN (SELECT search_key FROM hub_listings ORDER BY fetched_at DESC LIMIT ?)`)
        .run(KEPT_LISTINGS);
    })();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
