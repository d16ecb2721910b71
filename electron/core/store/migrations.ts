// The store's schema, as an ordered list of migrations; PRAGMA user_version records how far a file has come.
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE projects (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        source      TEXT NOT NULL,
        path        TEXT NOT NULL UNIQUE,
        status      TEXT NOT NULL CHECK (status IN ('cloning', 'ready', 'failed')),
        error       TEXT,
        owner_pid   INTEGER,
        created_at  TEXT NOT NULL
      );
      CREATE TABLE runs (
        id                  TEXT PRIMARY KEY,
        project_id          TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        commit_sha          TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
        backend             TEXT NOT NULL,
        task                TEXT NOT NULL,
        epochs              INTEGER NOT NULL,
        history_json        TEXT NOT NULL DEFAULT '[]',
        metrics_json        TEXT,
        labels_json         TEXT,
        confusion_json      TEXT,
        error               TEXT,
        owner_pid           INTEGER,
        started_at          TEXT NOT NULL,
        finished_at         TEXT,
        seconds             REAL,
        samples_per_second  REAL
      );
      CREATE INDEX runs_by_project ON runs(project_id, started_at);
    `,
  },
  {
    version: 2,
    sql: `
      ALTER TABLE runs ADD COLUMN device TEXT;
      ALTER TABLE runs ADD COLUMN checkpoint_path TEXT;
    `,
  },
  {
    // Added project catalogs (git repositories with a catalog.json), cloned under <home>/catalogs.
    version: 3,
    sql: `
      CREATE TABLE catalogs (
        id          TEXT PRIMARY KEY,
        url         TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        path        TEXT NOT NULL UNIQUE,
        entries     INTEGER NOT NULL DEFAULT 0,
        updated_at  TEXT NOT NULL,
        error       TEXT,
        created_at  TEXT NOT NULL
      );
    `,
  },
  {
    // Contributor-impact cache (electron/core/impact/impact-cache.ts) and identity overrides
    // (identity-overrides-repository.ts). Records are raw git data: the same under any category,
    // identity or bot rules.
    version: 4,
    sql: `
      CREATE TABLE impact_commits (
        project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        sha         TEXT NOT NULL,
        merge       INTEGER NOT NULL,
        mailmap     TEXT NOT NULL,
        record      TEXT NOT NULL,
        PRIMARY KEY (project_id, sha)
      ) WITHOUT ROWID;
      CREATE TABLE impact_blame (
        project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        path        TEXT NOT NULL,
        commit_sha  TEXT NOT NULL,
        context     TEXT NOT NULL,
        blob        TEXT NOT NULL,
        authors     TEXT NOT NULL,
        PRIMARY KEY (project_id, path, commit_sha, context)
      ) WITHOUT ROWID;
      CREATE TABLE impact_blame_state (
        project_id  TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        head        TEXT NOT NULL,
        commits     TEXT NOT NULL
      );
      CREATE TABLE impact_identity_overrides (
        project_id  TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        overrides   TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    sql: `ALTER TABLE runs ADD COLUMN probes_json TEXT;`,
  },
  {
    version: 6,
    sql: `
      CREATE TABLE impact_category_rules (
        project_id  TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        rules       TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
    `,
  },
  {
    // Commit records a batch to a row (one row per write) instead of a row per commit: 12,000 rows inserted at
    // random sha positions rewrote most of the table's pages with every batch. The table is a cache only: the
    // next analysis reads the history again.
    version: 7,
    sql: `
      DROP TABLE impact_commits;
      CREATE TABLE impact_commit_batches (
        id          INTEGER PRIMARY KEY,
        project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        mailmap     TEXT NOT NULL,
        count       INTEGER NOT NULL,
        shas        TEXT NOT NULL,
        records     TEXT NOT NULL
      );
      CREATE INDEX impact_commit_batches_by_project ON impact_commit_batches(project_id, id);
    `,
  },
];
