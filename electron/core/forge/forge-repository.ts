// The store's forge tables (migrations 10 and 15): a project's connection, each list's validators for conditional
// requests, the items read, and the login ↔ git identity links from the commit list. Tokens are never stored.
import type { ForgeCounts, ForgeTarget, RateBudget } from '../../../shared/forge.js';
import type { Db } from '../store/database.js';

/** What the forge sync stores per item: issues, pull requests (GitLab merge requests), and what people wrote on them. */
export type ForgeItemKind = 'issue' | 'pull' | 'comment' | 'review' | 'review_comment';

export interface ForgeItem {
  readonly kind: ForgeItemKind;
  /** The forge's id (issues and pulls: their number). */
  readonly id: string;
  /** The issue or pull request the item belongs to (its own number for issues and pulls). */
  readonly number: number;
  readonly author: string;
  readonly authorBot: boolean;
  /** The author's display name where the forge gives one (GitLab). */
  readonly authorName?: string | null;
  /** Review state (APPROVED, COMMENTED, PENDING, …); null otherwise. */
  readonly state?: string | null;
  readonly updatedAt?: string | null;
  /** When it was written: an issue or pull request opened, a comment or review made (the timeline's date); null if unknown. */
  readonly createdAt?: string | null;
}

export interface ListValidator {
  /** The `since` the stored ETag was answered for. */
  readonly since: string | null;
  readonly etag: string | null;
}

export interface CommitAuthor {
  readonly login: string;
  readonly name: string;
  readonly email: string;
}

export interface StoredConnection extends ForgeTarget {
  readonly syncedAt: string | null;
  readonly rate: RateBudget | null;
}

const PENDING_REVIEWS = 'reviews-pending';

export class ForgeRepository {
  constructor(private readonly db: Db) {}

  connection(projectId: string): StoredConnection | null {
    const row = this.db.prepare(`SELECT forge, repo, api_url, synced_at, rate_json FROM forge_connections WHERE project_id = ?`).get(projectId) as
      | { forge: ForgeTarget['forge']; repo: string; api_url: string; synced_at: string | null; rate_json: string | null }
      | undefined;
    if (!row) return null;
    return { forge: row.forge, repo: row.repo, apiUrl: row.api_url, syncedAt: row.synced_at, rate: row.rate_json ? (JSON.parse(row.rate_json) as RateBudget) : null };
  }

  /** Connects the project; a different forge, repository or API forgets everything read from the old one. */
  connect(projectId: string, target: ForgeTarget): void {
    const old = this.connection(projectId);
    const same = old && old.forge === target.forge && old.repo === target.repo && old.apiUrl === target.apiUrl;
    if (same) return;
    this.db.transaction(() => {
      this.forget(projectId);
      this.db.prepare(`INSERT INTO forge_connections (project_id, forge, repo, api_url) VALUES (?, ?, ?, ?)`).run(projectId, target.forge, target.repo, target.apiUrl);
    })();
  }

  forget(projectId: string): void {
    for (const table of ['forge_connections', 'forge_lists', 'forge_items', 'forge_commit_authors']) {
      this.db.prepare(`DELETE FROM ${table} WHERE project_id = ?`).run(projectId);
    }
  }

  markSynced(projectId: string, at: string, rate: RateBudget | null): void {
    this.db.prepare(`UPDATE forge_connections SET synced_at = ?, rate_json = ? WHERE project_id = ?`).run(at, rate ? JSON.stringify(rate) : null, projectId);
  }

  validator(projectId: string, list: string): ListValidator | null {
    const row = this.db.prepare(`SELECT since, etag FROM forge_lists WHERE project_id = ? AND list = ?`).get(projectId, list) as ListValidator | undefined;
    return row ?? null;
  }

  setValidator(projectId: string, list: string, v: ListValidator): void {
    this.db.prepare(`INSERT OR REPLACE INTO forge_lists (project_id, list, since, etag) VALUES (?, ?, ?, ?)`).run(projectId, list, v.since, v.etag);
  }

  /** Adds or replaces items (a resync sends changed ones again); a date already known is kept when the new copy has none. */
  putItems(projectId: string, items: readonly ForgeItem[]): void {
    if (!items.length) return;
    const insert = this.db.prepare(
      `INSERT INTO forge_items (project_id, kind, id, number, author, author_bot, author_name, state, updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, kind, id) DO UPDATE SET number = excluded.number, author = excluded.author, author_bot = excluded.author_bot,
         author_name = excluded.author_name, state = excluded.state, updated_at = excluded.updated_at,
         created_at = COALESCE(excluded.created_at, forge_items.created_at)`,
    );
    this.db.transaction(() => {
      for (const i of items) insert.run(projectId, i.kind, i.id, i.number, i.author, i.authorBot ? 1 : 0, i.authorName ?? null, i.state ?? null, i.updatedAt ?? null, i.createdAt ?? null);
    })();
  }

  items(projectId: string, kind?: ForgeItemKind): ForgeItem[] {
    const rows = (
      kind
        ? this.db.prepare(`SELECT * FROM forge_items WHERE project_id = ? AND kind = ?`).all(projectId, kind)
        : this.db.prepare(`SELECT * FROM forge_items WHERE project_id = ?`).all(projectId)
    ) as { kind: ForgeItemKind; id: string; number: number; author: string; author_bot: number; author_name: string | null; state: string | null; updated_at: string | null; created_at: string | null }[];
    return rows.map((r) => ({ kind: r.kind, id: r.id, number: r.number, author: r.author, authorBot: r.author_bot === 1, authorName: r.author_name, state: r.state, updatedAt: r.updated_at, createdAt: r.created_at }));
  }

  /**
   * Pull requests whose reviews are still to be read: kept from the moment their change is seen until their
   * reviews are in, so a sync cut short (cancel, error) reads them next time. Kept as a row of forge_lists.
   */
  pendingReviews(projectId: string): number[] {
    const etag = this.validator(projectId, PENDING_REVIEWS)?.etag;
    return etag ? (JSON.parse(etag) as number[]) : [];
  }

  setPendingReviews(projectId: string, numbers: readonly number[]): void {
    this.setValidator(projectId, PENDING_REVIEWS, { since: null, etag: numbers.length ? JSON.stringify([...new Set(numbers)]) : null });
  }

  /** When each pull request's reviews were last read (its updated_at then), to read only changed ones again. */
  pullUpdatedAt(projectId: string): Map<number, string | null> {
    const rows = this.db.prepare(`SELECT number, updated_at FROM forge_items WHERE project_id = ? AND kind = 'pull'`).all(projectId) as { number: number; updated_at: string | null }[];
    return new Map(rows.map((r) => [r.number, r.updated_at]));
  }

  putCommitAuthors(projectId: string, authors: readonly CommitAuthor[]): void {
    if (!authors.length) return;
    const insert = this.db.prepare(`INSERT OR IGNORE INTO forge_commit_authors (project_id, login, name, email) VALUES (?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const a of authors) insert.run(projectId, a.login, a.name, a.email);
    })();
  }

  commitAuthors(projectId: string): CommitAuthor[] {
    return this.db.prepare(`SELECT login, name, email FROM forge_commit_authors WHERE project_id = ? ORDER BY login, email, name`).all(projectId) as CommitAuthor[];
  }

  counts(projectId: string): ForgeCounts {
    const rows = this.db.prepare(`SELECT kind, COUNT(*) AS n FROM forge_items WHERE project_id = ? GROUP BY kind`).all(projectId) as { kind: ForgeItemKind; n: number }[];
    const by = new Map(rows.map((r) => [r.kind, r.n]));
    const commits = this.db.prepare(`SELECT COUNT(*) FROM forge_commit_authors WHERE project_id = ?`).pluck().get(projectId) as number;
    return {
      issues: by.get('issue') ?? 0,
      pullRequests: by.get('pull') ?? 0,
      comments: by.get('comment') ?? 0,
      reviews: by.get('review') ?? 0,
      reviewComments: by.get('review_comment') ?? 0,
      commits,
    };
  }
}
