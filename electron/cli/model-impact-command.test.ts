// `modelcommons impact --model --json` and `modelcommons bisect --json` from the sources, on a cloned scripted
// history with planted effects: the model block field names, the second run reusing every training, and
// the bisect naming the author of the label corruption.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/git-fixtures.js';
import { people, plantedHistory, type PlantedHistory } from '../core/testing/model-impact-history.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const home = tempDir('mc-cli-model-home-');
let history: PlantedHistory;
let project: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], { env: { ...process.env, MODELCOMMONS_HOME: home }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  history = plantedHistory();
  const cloned = cli('clone', history.repo.dir, '--dir', `${home}/planted`, '--json');
  if (cloned.code !== 0) throw new Error(cloned.stderr);
  project = (JSON.parse(cloned.stdout) as { id: string }).id;
});
afterAll(() => {
  history.repo.remove();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('modelcommons impact --model', () => {
  it('adds the model block with the documented fields, and a second run trains nothing', () => {
    const r = cli('impact', project, '--model', '--method', 'loo', '--seeds', '3', '--no-blame', '--json');
    expect(r.code, r.stderr).toBe(0);
    const { contributors, model } = JSON.parse(r.stdout);
    expect(contributors.length).toBeGreaterThan(0); // the usual report is still there
    for (const key of ['metric', 'higherIsBetter', 'seeds', 'evaluation', 'trainings', 'full', 'empty', 'noise', 'commits', 'contributors', 'skipped', 'bisect']) expect(model).toHaveProperty(key);
    expect(model.evaluation).toMatchObject({ commit: history.sha.hyper, rows: 100 });
    for (const key of ['sha', 'author', 'email', 'touchesModel', 'trained', 'metric', 'delta', 'significant']) expect(model.commits[0]).toHaveProperty(key);
    for (const key of ['name', 'email', 'replayDelta', 'leaveOneOut', 'shapley', 'significant']) expect(model.contributors[0]).toHaveProperty(key);
    expect(model.seeds).toBe(3);
    expect(model.trainings).toBeGreaterThan(0);
    expect(model.bisect.map((b: { author: string }) => b.author)).toContain(people.mallory.name);

    const again = JSON.parse(cli('impact', project, '--model', '--method', 'loo', '--seeds', '3', '--no-blame', '--json').stdout).model;
    expect(again.trainings).toBe(0);
    expect(again.cached).toBe(model.trainings);
  });

  it('refuses a bad --method with one line naming the flag', () => {
    const r = cli('impact', project, '--model', '--method', 'banzhaf');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--method must be one of replay, loo, shapley, all/);
  });

  it('bisect names the author of the first state worse than --good', () => {
    const r = cli('bisect', project, '--good', history.sha.moreData, '--bad', history.sha.corrupt, '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.dropped).toBe(true);
    expect(result.firstBad).toMatchObject({ sha: history.sha.corrupt, author: people.mallory.name });
  });
});
