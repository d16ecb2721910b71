// Reads and writes project records.
import type { Project } from '../../../shared/contract.js';
import type { Db } from './database.js';

interface ProjectRow {
  id: string;
  name: string;
  source: string;
  path: string;
  status: Project['status'];
  kind: Project['kind'];
  error: string | null;
  owner_pid: number | null;
  created_at: string;
}

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  name: r.name,
  source: r.source,
  path: r.path,
  status: r.status,
  kind: r.kind,
  error: r.error,
  createdAt: r.created_at,
});

export class ProjectsRepository {
  constructor(private readonly db: Db) {}

  /** `kind` defaults to a clone; a repository registered in place is 'local'. */
  insert(p: Omit<Project, 'createdAt' | 'kind'> & { readonly kind?: Project['kind'] }, ownerPid: number): Project {
    const createdAt = new Date().toISOString();
    const kind = p.kind ?? 'clone';
    this.db
      .prepare(
        `INSERT INTO projects (id, name, source, path, status, kind, error, owner_pid, created_at)
         VALUES (@id, @name, @source, @path, @status, @kind, @error, @ownerPid, @createdAt)`,
      )
      .run({ ...p, kind, ownerPid, createdAt });
    return { ...p, kind, createdAt };
  }

  get(id: string): Project | undefined {
    const row = this.db.prepare(`SELECT * FROM projects WHERE id = ?`).get(id) as ProjectRow | undefined;
    return row && toProject(row);
  }

  findByPath(path: string): Project | undefined {
    const row = this.db.prepare(`SELECT * FROM projects WHERE path = ?`).get(path) as ProjectRow | undefined;
    return row && toProject(row);
  }

  list(): Project[] {
    return (this.db.prepare(`SELECT * FROM projects ORDER BY created_at DESC`).all() as ProjectRow[]).map(toProject);
  }

  setStatus(id: string, status: Project['status'], error: string | null = null): Project | undefined {
    this.db.prepare(`UPDATE projects SET status = ?, error = ?, owner_pid = NULL WHERE id = ?`).run(status, error, id);
    return this.get(id);
  }

  delete(id: string): void {
    this.db.prepare(`DELETE FROM projects WHERE id = ?`).run(id);
  }

  /** Clones whose owning process is gone were interrupted: mark them failed so retry is offered. */
  failOrphanedClones(isAlive: (pid: number) => boolean): number {
    const rows = this.db
      .prepare(`SELECT id, owner_pid FROM projects WHERE status = 'cloning'`)
      .all() as { id: string; owner_pid: number | null }[];
    let n = 0;
    for (const r of rows) {
      if (r.owner_pid != null && isAlive(r.owner_pid)) continue;
      this.setStatus(r.id, 'failed', 'The clone was interrupted (the app closed while cloning)');
      n++;
    }
    return n;
  }
}
