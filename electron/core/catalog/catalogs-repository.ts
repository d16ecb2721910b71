// Reads and writes the records of added catalogs (the catalogs table, migration 3).
import type { CatalogInfo } from '../../../shared/catalog.js';
import type { Db } from '../store/database.js';

interface CatalogRow {
  id: string;
  url: string;
  name: string;
  path: string;
  entries: number;
  updated_at: string;
  error: string | null;
  created_at: string;
}

const toCatalog = (r: CatalogRow): CatalogInfo => ({
  id: r.id,
  url: r.url,
  name: r.name,
  path: r.path,
  entries: r.entries,
  updatedAt: r.updated_at,
  error: r.error,
  createdAt: r.created_at,
});

export class CatalogsRepository {
  constructor(private readonly db: Db) {}

  insert(c: Omit<CatalogInfo, 'createdAt' | 'updatedAt' | 'error'>): CatalogInfo {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO catalogs (id, url, name, path, entries, updated_at, error, created_at)
         VALUES (@id, @url, @name, @path, @entries, @now, NULL, @now)`,
      )
      .run({ ...c, now });
    return { ...c, updatedAt: now, error: null, createdAt: now };
  }

  get(id: string): CatalogInfo | undefined {
    const row = this.db.prepare(`SELECT * FROM catalogs WHERE id = ?`).get(id) as CatalogRow | undefined;
    return row && toCatalog(row);
  }

  findByUrl(url: string): CatalogInfo | undefined {
    const row = this.db.prepare(`SELECT * FROM catalogs WHERE url = ?`).get(url) as CatalogRow | undefined;
    return row && toCatalog(row);
  }

  /** Oldest first: the order search prefers entries in when two catalogs list the same URL. */
  list(): CatalogInfo[] {
    return (this.db.prepare(`SELECT * FROM catalogs ORDER BY created_at, rowid`).all() as CatalogRow[]).map(toCatalog);
  }

  /** A successful read of the catalog: its current name and size, and no error. */
  markRead(id: string, name: string, entries: number): CatalogInfo | undefined {
    this.db
      .prepare(`UPDATE catalogs SET name = ?, entries = ?, updated_at = ?, error = NULL WHERE id = ?`)
      .run(name, entries, new Date().toISOString(), id);
    return this.get(id);
  }

  setError(id: string, error: string): CatalogInfo | undefined {
    this.db.prepare(`UPDATE catalogs SET error = ? WHERE id = ?`).run(error, id);
    return this.get(id);
  }

  delete(id: string): void {
    this.db.prepare(`DELETE FROM catalogs WHERE id = ?`).run(id);
  }
}
