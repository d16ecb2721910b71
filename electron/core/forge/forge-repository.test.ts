// The forge tables on a real SQLite file: migration 15 on a store a sync already filled (dates column added, the
// lists' validators dropped so the next sync reads everything again), and a date kept when a resync has none.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { migrations } from '../store/migrations.js';
import { tempDir } from '../testing/git-fixtures.js';
import { ForgeRepository } from './forge-repository.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const dbFile = () => {
  const d = tempDir();
  dirs.push(d);
  return path.join(d, 'modelcommons.db');
};

describe('forge store', () => {
  it('migration 15 adds the dates and drops the validators of a store synced before, keeping pending reviews and items', () => {
    const file = dbFile();
    const old = new Database(file);
    for (const m of migrations.filter((x) => x.version < 15)) old.exec(m.sql);
    old.pragma(`user_version = ${migrations.filter((x) => x.version < 15).at(-1)!.version}`);
    old.prepare(`INSERT INTO projects (id, name, source, path, status, created_at) VALUES ('p', 'p', '/s', '/d', 'ready', 1)`).run();
    old.prepare(`INSERT INTO forge_connections (project_id, forge, repo, api_url) VALUES ('p', 'github', 'o/r', 'https://api.github.com')`).run();
    old.prepare(`INSERT INTO forge_lists (project_id, list, since, etag) VALUES ('p', 'issues', '2026-01-01T00:00:00Z', 'W/"1"'), ('p', 'reviews-pending', NULL, '[3]')`).run();
    old.prepare(`INSERT INTO forge_items (project_id, kind, id, number, author, author_bot, updated_at) VALUES ('p', 'issue', '1', 1, 'quinn', 0, '2026-01-02T00:00:00Z')`).run();
    old.close();

    const db = openDatabase(file);
    const repo = new ForgeRepository(db);
    expect(repo.validator('p', 'issues')).toBeNull(); // the next sync reads the issues again, with their dates
    expect(repo.pendingReviews('p')).toEqual([3]);
    expect(repo.items('p')).toEqual([expect.objectContaining({ kind: 'issue', author: 'quinn', createdAt: null })]);
    db.close();
  });

  it('keeps a known date when the same item comes again without one', () => {
    const db = openDatabase(dbFile());
    db.prepare(`INSERT INTO projects (id, name, source, path, status, created_at) VALUES ('p', 'p', '/s', '/d', 'ready', 1)`).run();
    const repo = new ForgeRepository(db);
    repo.connect('p', { forge: 'gitlab', repo: 'g/p', apiUrl: 'https://gitlab.com' });
    repo.putItems('p', [{ kind: 'review', id: '3:ada', number: 3, author: 'ada', authorBot: false, state: 'APPROVED', createdAt: '2026-03-04T09:00:00Z' }]);
    repo.putItems('p', [{ kind: 'review', id: '3:ada', number: 3, author: 'ada', authorBot: false, state: 'APPROVED', createdAt: null }]);
    expect(repo.items('p', 'review')).toEqual([expect.objectContaining({ id: '3:ada', createdAt: '2026-03-04T09:00:00Z' })]);
    db.close();
  });
});
