import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/git-fixtures.js';
import { openDatabase, schemaVersion } from './database.js';
import { migrations } from './migrations.js';
import { ProjectsRepository } from './projects-repository.js';
import { RunsRepository } from './runs-repository.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const dbFile = () => {
  const d = tempDir();
  dirs.push(d);
  return path.join(d, 'nested', 'modelcommons.db');
};

describe('store', () => {
  it('creates the file in WAL mode at the latest schema, and reopening keeps the data', () => {
    const file = dbFile();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    new ProjectsRepository(db).insert({ id: 'p1', name: 'demo', source: '/src', path: '/dst', status: 'ready', error: null }, 1);
    db.close();

    const again = openDatabase(file);
    expect(new ProjectsRepository(again).list().map((p) => p.name)).toEqual(['demo']);
    again.close();
  });

  it('refuses a store written by a newer version', () => {
    const file = dbFile();
    const db = openDatabase(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer ModelCommons \(schema 999/);
  });

  it('records epochs as they arrive and ends a run only once', () => {
    const db = openDatabase(dbFile());
    new ProjectsRepository(db).insert({ id: 'p1', name: 'demo', source: '/s', path: '/d', status: 'ready', error: null }, 1);
    const runs = new RunsRepository(db);
    runs.insert({ id: 'r1', projectId: 'p1', commit: 'abc', backend: 'cpu', task: 'regression', epochs: 2 }, process.pid);
    runs.appendEpoch('r1', { epoch: 1, loss: 0.5, valLoss: 0.6, metrics: { r2: 0.1 }, samplesPerSecond: 100 });
    runs.appendEpoch('r1', { epoch: 2, loss: 0.4, valLoss: null, metrics: {}, samplesPerSecond: 120 });
    expect(runs.get('r1')!.history.map((h) => h.loss)).toEqual([0.5, 0.4]);

    runs.finish('r1', { status: 'cancelled', error: 'Cancelled' });
    runs.finish('r1', { status: 'succeeded', metrics: { r2: 0.9 } });
    expect(runs.get('r1')!.status).toBe('cancelled');
    expect(runs.get('r1')!.metrics).toBeNull();
    db.close();
  });

  it('marks runs and clones of a dead process as failed, leaving live ones alone', () => {
    const db = openDatabase(dbFile());
    const projects = new ProjectsRepository(db);
    projects.insert({ id: 'p1', name: 'a', source: '/a', path: '/pa', status: 'ready', error: null }, 1);
    projects.insert({ id: 'p2', name: 'b', source: '/b', path: '/pb', status: 'cloning', error: null }, 4242);
    const runs = new RunsRepository(db);
    runs.insert({ id: 'dead', projectId: 'p1', commit: 'c', backend: 'cpu', task: 'regression', epochs: 1 }, 4242);
    runs.insert({ id: 'live', projectId: 'p1', commit: 'c', backend: 'cpu', task: 'regression', epochs: 1 }, process.pid);
    const alive = (pid: number) => pid === process.pid;
    expect(runs.failOrphanedRuns(alive)).toBe(1);
    expect(projects.failOrphanedClones(alive)).toBe(1);
    expect(runs.get('dead')!.status).toBe('failed');
    expect(runs.get('dead')!.error).toMatch(/Interrupted/);
    expect(runs.get('live')!.status).toBe('running');
    expect(projects.get('p2')!.status).toBe('failed');
    db.close();
  });
});
