// The contributor-impact cache in the store: raw per-commit records (author after .mailmap, date, credit
// trailers, file changes) per project, a batch of commits to a row; per-file blame totals keyed so that a hit
// is always the blame git would give (see README.md, Incremental re-analysis); and the last blamed commit of
// each project. Nothing here depends on category rules, identity overrides, bot rules or weights: those are
// applied by aggregateImpact on every run.
import type { Db } from '../store/database.js';
import type { CommitRecord, FileChange } from './read-commit-stats.js';
import type { SurvivingLines } from './surviving-lines.js';
import type { CreditTrailer, TrailerKind } from './trailers.js';

/** A record in the store: [merge, name, email, date, trailers [kind, contact], files [path, added, deleted, binary, oldPath?]]. */
type StoredTrailer = [TrailerKind, string];
type StoredFile = [string, number, number, 0 | 1] | [string, number, number, 0 | 1, string];
type StoredRecord = [0 | 1, string, string, string, StoredTrailer[], StoredFile[]];

/** A batch of records as stored: the shas one per line, and everything else as one JSON array in the same order. */
export interface StoredBatch {
  readonly shas: string;
  readonly records: string;
}

export function encodeBatch(records: readonly CommitRecord[]): StoredBatch {
  const stored = records.map((r): StoredRecord => [
    r.merge ? 1 : 0,
    r.authorName,
    r.authorEmail,
    r.authorDate,
    r.trailers.map((t) => [t.kind, t.contact]),
    r.files.map((f): StoredFile => (f.oldPath === null ? [f.path, f.added, f.deleted, f.binary ? 1 : 0] : [f.path, f.added, f.deleted, f.binary ? 1 : 0, f.oldPath])),
  ]);
  return { shas: records.map((r) => r.sha).join('\n'), records: JSON.stringify(stored) };
}

export function decodeBatch(batch: StoredBatch): CommitRecord[] {
  const shas = batch.shas.split('\n');
  return (JSON.parse(batch.records) as StoredRecord[]).map(([merge, authorName, authorEmail, authorDate, trailers, files], i) => ({
    sha: shas[i]!,
    merge: merge === 1,
    authorName,
    authorEmail,
    authorDate,
    trailers: trailers.map(([kind, contact]): CreditTrailer => ({ kind, contact })),
    files: files.map(([path, added, deleted, binary, oldPath]): FileChange => ({ path, oldPath: oldPath ?? null, added, deleted, binary: binary === 1 })),
  }));
}

/** More rows than this (re-analyses add one small row each) are joined into one row per mailmap on the next write. */
export const MAX_RECORD_BATCHES = 64;

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

  /** Drops the project's records read under another mailmap (they name the authors differently); returns how many. */
  dropRecordsNotMatching(projectId: string, mailmap: string): number {
    const where = `FROM impact_commit_batches WHERE project_id = ? AND mailmap <> ?`;
    return this.db.transaction(() => {
      const dropped = this.db.prepare(`SELECT COALESCE(SUM(count), 0) ${where}`).pluck().get(projectId, mailmap) as number;
      this.db.prepare(`DELETE ${where}`).run(projectId, mailmap);
      return dropped;
    })();
  }

  /** Every stored record of the project read under `mailmap`, by sha (a later write of a sha wins). */
  loadRecords(projectId: string, mailmap: string): Map<string, CommitRecord> {
    const rows = this.db
      .prepare(`SELECT shas, records FROM impact_commit_batches WHERE project_id = ? AND mailmap = ? ORDER BY id`)
      .all(projectId, mailmap) as StoredBatch[];
    const out = new Map<string, CommitRecord>();
    for (const row of rows) for (const r of decodeBatch(row)) out.set(r.sha, r);
    return out;
  }

  countRecords(projectId: string): number {
    return this.db.prepare(`SELECT COALESCE(SUM(count), 0) FROM impact_commit_batches WHERE project_id = ?`).pluck().get(projectId) as number;
  }

  /** Stores the records as one row (one write, whatever their number). */
  storeRecords(projectId: string, mailmap: string, records: readonly CommitRecord[]): void {
    if (records.length === 0) return;
    const batch = encodeBatch(records);
    this.db.transaction(() => {
      const rows = this.db.prepare(`SELECT COUNT(*) FROM impact_commit_batches WHERE project_id = ?`).pluck().get(projectId) as number;
      if (rows >= MAX_RECORD_BATCHES) this.joinBatches(projectId);
      this.db
        .prepare(`INSERT INTO impact_commit_batches (project_id, mailmap, count, shas, records) VALUES (?, ?, ?, ?, ?)`)
        .run(projectId, mailmap, records.length, batch.shas, batch.records);
    })();
  }

  /** Joins the project's rows into one per mailmap, in order, as text (nothing decoded). */
  private joinBatches(projectId: string): void {
    const rows = this.db
      .prepare(`SELECT mailmap, count, shas, records FROM impact_commit_batches WHERE project_id = ? ORDER BY id`)
      .all(projectId) as { mailmap: string; count: number; shas: string; records: string }[];
    const joined = new Map<string, { count: number; shas: string[]; records: string[] }>();
    for (const row of rows) {
      let j = joined.get(row.mailmap);
      if (!j) joined.set(row.mailmap, (j = { count: 0, shas: [], records: [] }));
      if (row.count === 0) continue;
      j.count += row.count;
      j.shas.push(row.shas);
      j.records.push(row.records.slice(1, -1)); // the JSON array's items
    }
    this.db.prepare(`DELETE FROM impact_commit_batches WHERE project_id = ?`).run(projectId);
    const insert = this.db.prepare(`INSERT INTO impact_commit_batches (project_id, mailmap, count, shas, records) VALUES (?, ?, ?, ?, ?)`);
    for (const [mailmap, j] of joined) insert.run(projectId, mailmap, j.count, j.shas.join('\n'), `[${j.records.join(',')}]`);
  }

  /** Deletes the project's records of commits not in `keep` (e.g. dropped by a force-push); returns how many. */
  pruneRecords(projectId: string, keep: ReadonlySet<string>): number {
    const rows = this.db.prepare(`SELECT id, shas, records FROM impact_commit_batches WHERE project_id = ?`).all(projectId) as ({ id: number } & StoredBatch)[];
    const update = this.db.prepare(`UPDATE impact_commit_batches SET count = ?, shas = ?, records = ? WHERE id = ?`);
    const del = this.db.prepare(`DELETE FROM impact_commit_batches WHERE id = ?`);
    let gone = 0;
    this.db.transaction(() => {
      for (const row of rows) {
        if (row.shas.split('\n').every((sha) => keep.has(sha))) continue;
        const records = decodeBatch(row);
        const kept = records.filter((r) => keep.has(r.sha));
        gone += records.length - kept.length;
        if (kept.length === 0) del.run(row.id);
        else {
          const stored = encodeBatch(kept);
          update.run(kept.length, stored.shas, stored.records, row.id);
        }
      }
    })();
    return gone;
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
      for (const table of ['impact_commit_batches', 'impact_blame', 'impact_blame_state']) this.db.prepare(`DELETE FROM ${table} WHERE project_id = ?`).run(projectId);
    })();
  }
}
