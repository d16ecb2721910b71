// Deleting runs and removing projects on a real SQLite store and real folders: what is refused, and which folders go.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../event-bus.js';
import { ProjectsService } from '../projects-service.js';
import { openDatabase } from '../store/database.js';
import { ProjectsRepository } from '../store/projects-repository.js';
import { RunsRepository } from '../store/runs-repository.js';
import { tempDir } from '../testing/git-fixtures.js';
import { RunsService } from './runs-service.js';

const home = tempDir('mc-runs-service-');
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function setup() {
  const db = openDatabase(path.join(home, `${crypto.randomUUID()}.db`));
  const projectsRepo = new ProjectsRepository(db);
  const runsRepo = new RunsRepository(db);
  const projects = new ProjectsService(projectsRepo, new EventBus(), path.join(home, 'projects'));
  const service = new RunsService(runsRepo, projects, path.join(home, 'runs'));
  const addProject = (status: 'ready' | 'failed' | 'cloning', folder: string, kind: 'clone' | 'local' = 'clone') => {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'data.csv'), 'x\n'.repeat(100));
    return projectsRepo.insert({ id: crypto.randomUUID(), name: path.basename(folder), source: `/src/${path.basename(folder)}`, path: folder, status, kind, error: null }, process.pid);
  };
  const addRun = (projectId: string) => {
    const id = crypto.randomUUID();
    runsRepo.insert({ id, projectId, commit: 'a'.repeat(40), backend: 'cpu', task: 'classification', epochs: 1 }, process.pid);
    fs.mkdirSync(path.join(home, 'runs', id, 'model'), { recursive: true });
    fs.writeFileSync(path.join(home, 'runs', id, 'model', 'weights.bin'), Buffer.alloc(1000));
    return id;
  };
  return { db, runsRepo, service, addProject, addRun };
}

describe('runs housekeeping', () => {
  it('a running run is not deleted; an ended one goes with its folder', () => {
    const { runsRepo, service, addProject, addRun } = setup();
    const p = addProject('ready', path.join(home, 'projects', `a-${crypto.randomUUID().slice(0, 8)}`));
    const id = addRun(p.id);
    expect(() => service.delete(id)).toThrow(/is still running: cancel it first/);
    expect(() => service.removeProject(p.id)).toThrow(/has a run still training/);
    runsRepo.finish(id, { status: 'succeeded' });
    expect(service.diskUse(p.id)).toMatchObject({ cloneBytes: 200, runsBytes: 1000, ownFolder: true });
    expect(service.delete(id)).toEqual({ deleted: true });
    expect(fs.existsSync(path.join(home, 'runs', id))).toBe(false);
    expect(() => service.delete(id)).toThrow(/No run with id/);
  });

  it('a failed project is removed with its runs and folder; a cloning one is refused; own folders stay', () => {
    const { service, addProject, addRun, runsRepo } = setup();
    const failed = addProject('failed', path.join(home, 'projects', `f-${crypto.randomUUID().slice(0, 8)}`));
    const run = addRun(failed.id);
    runsRepo.finish(run, { status: 'failed', error: 'x' });
    expect(service.removeProject(failed.id)).toEqual({ removed: true, folderRemoved: true });
    expect(fs.existsSync(failed.path)).toBe(false);
    expect(fs.existsSync(path.join(home, 'runs', run))).toBe(false);
    expect(runsRepo.get(run)).toBeUndefined();

    const cloning = addProject('cloning', path.join(home, 'projects', `c-${crypto.randomUUID().slice(0, 8)}`));
    expect(() => service.removeProject(cloning.id)).toThrow(/still cloning: cancel the clone first/);

    // Outside projects/ (a chosen --dir), and a repository used in place even inside it: never deleted, never counted.
    const chosen = addProject('ready', path.join(home, 'elsewhere', 'mine'));
    const local = addProject('ready', path.join(home, 'projects', 'in-place'), 'local');
    expect(service.diskUse(local.id)).toMatchObject({ cloneBytes: 0, ownFolder: false });
    for (const p of [chosen, local]) {
      expect(service.removeProject(p.id)).toEqual({ removed: true, folderRemoved: false });
      expect(fs.existsSync(path.join(p.path, 'data.csv'))).toBe(true);
    }
  });
});
