import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/git-fixtures.js';
import { openDatabase } from './database.js';
import { ProjectsRepository } from './projects-repository.js';
import { RunsRepository } from './runs-repository.js';

const dir = tempDir('mc-runs-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('runs repository', () => {
  it('keeps a run’s split sizes and warnings from its start, and its best epoch from its end, across a reopen', () => {
    const file = path.join(dir, 'modelcommons.db');
    const db = openDatabase(file);
    new ProjectsRepository(db).insert({ id: 'p1', name: 'demo', source: '/src', path: '/dst', status: 'ready', error: null }, 1);
    const runs = new RunsRepository(db);
    const run = runs.insert({ id: 'r1', projectId: 'p1', commit: 'abc', backend: 'auto', task: 'classification', epochs: 5 }, process.pid);
    expect(run).toMatchObject({ split: null, bestEpoch: null, warnings: [] });
    runs.setBackend('r1', 'wasm', 'CPU', [], { trainRows: 90, validationRows: 10, testRows: 25, warnings: ['Column "a" is constant'] });
    expect(runs.get('r1')).toMatchObject({ split: { train: 90, validation: 10, test: 25 }, warnings: ['Column "a" is constant'] });
    // A result without those facts (a failure) keeps what the start recorded; a result with them records them.
    runs.finish('r1', { status: 'succeeded', metrics: { accuracy: 1 }, bestEpoch: 3, split: { train: 90, validation: 10, test: 25 } });
    db.close();
    const again = openDatabase(file);
    expect(new RunsRepository(again).get('r1')).toMatchObject({
      status: 'succeeded',
      split: { train: 90, validation: 10, test: 25 },
      bestEpoch: 3,
      warnings: ['Column "a" is constant'],
    });
    again.close();
  });
});
