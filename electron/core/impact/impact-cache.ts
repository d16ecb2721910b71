// The contributor-impact cache in the store: raw per-commit records (author after .mailmap, date, credit
// trailers, file changes) per project and commit, per-file blame totals keyed so that a hit is always the
// blame git would give (see README.md, Incremental re-analysis), and the last blamed commit of each
// project. Nothing here depends on category rules, identity overrides, bot rules or weights: those are
// applied by aggregateImpact on every run.
import type { Db } from '../store/database.js';
import type { CommitRecord, FileChange } from './read-commit-stats.js';
import type { SurvivingLines } from './surviving-lines.js';
import type { CreditTrailer, TrailerKind } from './trailers.js';

/** A record in the store: [name, email, date, trailers [kind, contact], files [path, added, deleted, binary, oldPath?]]. */
type StoredTrailer = [TrailerKind, string];
type StoredFile = [string, number, number, 0 | 1] | [string, number, number, 0 | 1, string];
type StoredRecord = [string, string, string, StoredTrailer[], StoredFile[]];

export function encodeRecord(r: CommitRecord): string {
  const stored: StoredRecord = [
    r.authorName,
    r.authorEmail,
    r.authorDate,
    r.trailers.map((t) => [t.kind, t.contact]),
    r.files.map((f): StoredFile => (f.oldPath === null ? [f.path, f.added, f.deleted, f.binary ? 1 : 0] : [f.path, f.added, f.deleted, f.binary ? 1 : 0, f.oldPath])),
  ];
  return JSON.stringify(stored);
}

export function decodeRecord(sha: string, merge: boolean, json: string): CommitRecord {
  const [authorName, authorEmail, authorDate, trailers, files] = JSON.parse(json) as StoredRecord;
  return {
    sha,
    merge,
    authorName,
    authorEmail,
    authorDate,
    trailers: trailers.map(([kind, contact]): CreditTrailer => ({ kind, contact })),
    files: files.map(([path, added, deleted, binary, oldPath]): FileChange => ({ path, oldPath: oldPath ?? null, added, deleted, binary: binary === 1 })),
  };
}

/** The key of one file's blame: see README.md, Incremental re-analysis. */
export interface BlameKey {
  readonly path: string;
  /** The newest commit on the analysed commit's first-parent chain whose first-parent diff changes the path. */
  readonly commit: string;
  /** The file's blob id (implied by path + commit; kept as a check). */
  readonly blob: string;
  /** Hash of everything else blame depends on: options, ignore-revs list, mailmap. */
  readonly context: string;
}

/** What the last blame pass of a project saw: the analysed commit and each file's blame commit. */
export interface BlameState {
  readonly head: string;
  /** path → the BlameKey commit of the file at `head`. */
  readonly commits: ReadonlyMap<string, string>;
}

type StoredAuthors = [string, string, number][];

export class ImpactCache {
  constructor(private readonly db: Db) {}

  /** Drops the project's records read under another mailmap (they name the authors differently). */
  dropRecordsNotMatching(projectId: string, mailmap: string): number {
    return this.db.prepare(`DELETE FROM impact_commits WHERE project_id = ? AND mailmap <> ?`).run(projectId, mailmap).changes;
  }

  /** Every stored record of the project read under `mailmap`, by sha. */
  loadRecords(projectId: string, mailmap: string): Map<string, CommitRecord> {
    const rows = this.db
      .prepare(`SELECT sha, merge, record FROM impact_commits WHERE project_id = ? AND mailmap = ?`)
      .raw()
      .all(projectId, mailmap) as [string, number, string][];
    const out = new Map<string, CommitRecord>();
    for (const [sha, merge, record] of rows) out.set(sha, decodeRecord(sha, merge === 1, record));
    return out;
  }

  countRecords(projectId: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM impact_commits WHERE project_id = ?`).get(projectId) as { n: number }).n;
  }

  storeRecords(projectId: string, mailmap: string, records: readonly CommitRecord[]): void {
    if (records.length === 0) return;
    const insert = this.db.prepare(`INSERT OR REPLACE INTO impact_commits (project_id, sha, merge, mailmap, record) VALUES (?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const r of records) insert.run(projectId, r.sha, r.merge ? 1 : 0, mailmap, encodeRecord(r));
    })();
  }

  /** Deletes the project's records of commits not in `keep` (e.g. dropped by a force-push). */
  pruneRecords(projectId: string, keep: ReadonlySet<string>): number {
    const shas = this.db.prepare(`SELECT sha FROM impact_commits WHERE project_id = ?`).pluck().all(projectId) as string[];
    const gone = shas.filter((s) => !keep.has(s));
    if (gone.length === 0) return 0;
    const del = this.db.prepare(`DELETE FROM impact_commits WHERE project_id = ? AND sha = ?`);
    this.db.transaction(() => {
      for (const sha of gone) del.run(projectId, sha);
    })();
    return gone.length;
  }

  /** Stored blame totals of the files whose key matches, by path. */
  loadBlame(projectId: string, keys: readonly BlameKey[]): Map<string, SurvivingLines[]> {
    const get = this.db.prepare(`SELECT authors FROM impact_blame WHERE project_id = ? AND path = ? AND commit_sha = ? AND context = ? AND blob = ?`).pluck();
    const out = new Map<string, SurvivingLines[]>();
    for (const k of keys) {
      const json = get.get(projectId, k.path, k.commit, k.context, k.blob) as string | undefined;
      if (json !== undefined) out.set(k.path, (JSON.parse(json) as StoredAuthors).map(([name, email, lines]) => ({ name, email, lines })));
    }
    return out;
  }

  storeBlame(projectId: string, entries: readonly { key: BlameKey; authors: readonly SurvivingLines[] }[]): void {
    if (entries.length === 0) return;
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO impact_blame (project_id, path, commit_sha, context, blob, authors) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const { key, authors } of entries) {
        const stored: StoredAuthors = authors.map((a) => [a.name, a.email, a.lines]);
        insert.run(projectId, key.path, key.commit, key.context, key.blob, JSON.stringify(stored));
      }
    })();
  }

  /** Keeps only the project's blame rows of the given keys (the files at the last analysed commit). */
  pruneBlame(projectId: string, keep: readonly BlameKey[]): void {
    const wanted = new Set(keep.map((k) => `${k.path}\0${k.commit}\0${k.context}`));
    const rows = this.db.prepare(`SELECT path, commit_sha, context FROM impact_blame WHERE project_id = ?`).raw().all(projectId) as [string, string, string][];
    const del = this.db.prepare(`DELETE FROM impact_blame WHERE project_id = ? AND path = ? AND commit_sha = ? AND context = ?`);
    this.db.transaction(() => {
      for (const [path, commit, context] of rows) if (!wanted.has(`${path}\0${commit}\0${context}`)) del.run(projectId, path, commit, context);
    })();
  }

  countBlame(projectId: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM impact_blame WHERE project_id = ?`).get(projectId) as { n: number }).n;
  }

  getBlameState(projectId: string): BlameState | null {
    const row = this.db.prepare(`SELECT head, commits FROM impact_blame_state WHERE project_id = ?`).get(projectId) as
      | { head: string; commits: string }
      | undefined;
    if (!row) return null;
    return { head: row.head, commits: new Map(Object.entries(JSON.parse(row.commits) as Record<string, string>)) };
  }

  setBlameState(projectId: string, state: BlameState): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO impact_blame_state (project_id, head, commits) VALUES (?, ?, ?)`)
      .run(projectId, state.head, JSON.stringify(Object.fromEntries(state.commits)));
  }

  /** Forgets everything cached for the project (the identity overrides stay). */
  clear(projectId: string): void {
    this.db.transaction(() => {
      for (const table of ['impact_commits', 'impact_blame', 'impact_blame_state']) this.db.prepare(`DELETE FROM ${table} WHERE project_id = ?`).run(projectId);
    })();
  }
}
