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
  {
    // A run's split sizes, its best (validation) epoch and the warnings its data or manifest raised.
    version: 8,
    sql: `
      ALTER TABLE runs ADD COLUMN split_json TEXT;
      ALTER TABLE runs ADD COLUMN best_epoch INTEGER;
      ALTER TABLE runs ADD COLUMN warnings_json TEXT;
    `,
  },
  {
    // Model-impact trainings, keyed by what decides their result: the model state (a hash of what training reads),
    // the seed, the yardstick and the training configuration outside the state. Not tied to a project: the same
    // state in two clones is the same training.
    version: 9,
    sql: `
      CREATE TABLE model_trainings (
        state_hash   TEXT NOT NULL,
        seed         INTEGER NOT NULL,
        eval_key     TEXT NOT NULL,
        config_hash  TEXT NOT NULL,
        metrics      TEXT NOT NULL,
        labels       TEXT,
        predictions  TEXT,
        seconds      REAL NOT NULL,
        created_at   TEXT NOT NULL,
        PRIMARY KEY (state_hash, seed, eval_key, config_hash)
      ) WITHOUT ROWID;
    `,
  },
  {
    // The forge (GitHub / GitLab) a project is connected to, and what its sync read: the lists' validators
    // (ETag, since) for conditional requests, and the items the interaction counts are made of. No token here.
    version: 10,
    sql: `
      CREATE TABLE forge_connections (
        project_id  TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        forge       TEXT NOT NULL,
        repo        TEXT NOT NULL,
        api_url     TEXT NOT NULL,
        synced_at   TEXT,
        rate_json   TEXT
      );
      CREATE TABLE forge_lists (
        project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        list        TEXT NOT NULL,
        since       TEXT,
        etag        TEXT,
        PRIMARY KEY (project_id, list)
      ) WITHOUT ROWID;
      CREATE TABLE forge_items (
        project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        id          TEXT NOT NULL,
        number      INTEGER NOT NULL,
        author      TEXT NOT NULL,
        author_bot  INTEGER NOT NULL,
        author_name TEXT,
        state       TEXT,
        updated_at  TEXT,
        PRIMARY KEY (project_id, kind, id)
      ) WITHOUT ROWID;
      CREATE TABLE forge_commit_authors (
        project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        login       TEXT NOT NULL,
        name        TEXT NOT NULL,
        email       TEXT NOT NULL,
        PRIMARY KEY (project_id, login, name, email)
      ) WITHOUT ROWID;
    `,
  },
  {
    // How a project's folder came to be: 'clone' (made by ModelCommons, in the data folder or a chosen one) or
    // 'local' (the person's own repository, registered in place: never copied, written to or deleted).
    version: 11,
    sql: `ALTER TABLE projects ADD COLUMN kind TEXT NOT NULL DEFAULT 'clone' CHECK (kind IN ('clone', 'local'));`,
  },
  {
    // What keys a run beside its commit and backend: the manifest's hash, the data's hash, the seed, and the
    // effective training settings (params) it ran with, so runs can be compared and exported.
    version: 12,
    sql: `
      ALTER TABLE runs ADD COLUMN params_json TEXT;
      ALTER TABLE runs ADD COLUMN manifest_hash TEXT;
      ALTER TABLE runs ADD COLUMN data_hash TEXT;
      ALTER TABLE runs ADD COLUMN seed INTEGER;
    `,
  },
  {
    // The job queue (electron/core/jobs): one row per training job, so jobs survive a restart. `job_key` is what
    // decides the job's result (commit, manifest, data, seed, backend, fold): a job is stored once per key, and its
    // run (pre-assigned `run_id`) is written once, when the job succeeds. `queue` says who trains it: the local
    // pool or workers over Redis.
    version: 13,
    sql: `
      CREATE TABLE jobs (
        id            TEXT PRIMARY KEY,
        job_key       TEXT NOT NULL UNIQUE,
        project_id    TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        sweep_id      TEXT,
        queue         TEXT NOT NULL CHECK (queue IN ('local', 'redis')),
        status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled')),
        spec_json     TEXT NOT NULL,
        run_id        TEXT NOT NULL,
        attempts      INTEGER NOT NULL DEFAULT 0,
        progress_json TEXT,
        error         TEXT,
        owner_pid     INTEGER,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE INDEX jobs_by_status ON jobs(status, created_at);
      CREATE INDEX jobs_by_sweep ON jobs(sweep_id, created_at);
    `,
  },
  {
    // A project's last model-impact analysis (the report as JSON, read back when the Results & credit view opens
    // and for the score's model term M) and the last bisect run on it; a newer analysis replaces both.
    version: 14,
    sql: `
      CREATE TABLE model_impact_reports (
        project_id   TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        report_json  TEXT NOT NULL,
        analysed_at  TEXT NOT NULL,
        bisect_json  TEXT
      );
    `,
  },
  {
    // When each forge item was written (issue opened, comment or review made), for the interaction timeline.
    // The lists' validators are dropped (the pending-reviews row kept), so the next sync reads every list again
    // and fills the dates in.
    version: 15,
    sql: `
      ALTER TABLE forge_items ADD COLUMN created_at TEXT;
      DELETE FROM forge_lists WHERE list <> 'reviews-pending';
    `,
  },
  {
    // The Hugging Face Hub as a browse source: whether the user turned it on (off until then; one row), and the
    // last listing of each search, kept for offline use ("as of" its fetched_at). No token is ever stored here.
    version: 16,
    sql: `
      CREATE TABLE hub_settings (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        enabled  INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1))
      );
      CREATE TABLE hub_listings (
        search_key   TEXT PRIMARY KEY,
        models_json  TEXT NOT NULL,
        fetched_at   TEXT NOT NULL
      );
    `,
  },
];
