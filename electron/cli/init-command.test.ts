import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { blobsCsv, git, makeRepo, makeTabularProject, tempDir, treeHash } from '../core/testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
// The CLI runs from other working directories (a path is relative to where the person is): tsx by its file URL.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const home = tempDir('mc-init-home-');
const work = tempDir('mc-init-work-');
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, cliSource, ...args], { cwd, env: { ...process.env, MODELCOMMONS_HOME: home }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const onlyCsv = (dir: string, csv = blobsCsv(150, 4, 3, 5)) =>
  makeRepo(dir, [{ author: 'Ada', email: 'ada@x.org', message: 'data', files: { 'data/measurements.csv': csv, 'README.md': '# Blobs\n' } }]);

describe('modelcommons init, and commands on a local repository in place', () => {
  it('init on a repo with only a CSV writes an overlay that trains; the folder stays byte-identical through init, train, runs and impact', () => {
    const repo = onlyCsv(path.join(work, 'blobs'));
    const before = treeHash(repo);
    // Before init: the repository is registered in place, and training says how to set it up.
    const untrained = cli(repo, 'train', '.');
    expect(untrained.code).toBe(1);
    expect(untrained.stderr).toMatch(/has no modelcommons\.json at its root, so there is nothing to train \(set one up: modelcommons init/);

    const init = cli(work, 'init', 'blobs', '--json');
    expect(init.code, init.stderr).toBe(0);
    const out = JSON.parse(init.stdout) as { project: string; written: { path: string; repositoryPath: null }; proposal: { label: string; task: string } };
    expect(out.proposal).toMatchObject({ label: 'label', task: 'classification' });
    expect(out.written.path).toBe(path.join(home, 'overlays', out.project, 'modelcommons.json'));
    expect(out.written.repositoryPath).toBeNull();

    const trained = cli(repo, 'train', '.', '--json', '--backend', 'cpu', '--epochs', '8');
    expect(trained.code, trained.stderr).toBe(0);
    const run = JSON.parse(trained.stdout) as { metrics: Record<string, number>; labels: string[] };
    expect(run.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    // Three well-separated blobs: far above chance (1/3) after 8 epochs.
    expect(run.metrics['accuracy']).toBeGreaterThan(0.6);

    const runs = cli(path.join(repo, 'data'), 'runs', '..', '--json');
    expect(runs.code, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout)).toHaveLength(1);
    const impact = cli(work, 'impact', './blobs', '--json');
    expect(impact.code, impact.stderr).toBe(0);
    expect((JSON.parse(impact.stdout) as { contributors: { email: string }[] }).contributors.map((c) => c.email)).toEqual(['ada@x.org']);

    // One project, in place: its folder is the repository itself.
    const projects = JSON.parse(cli(work, 'projects', '--json').stdout) as { path: string; kind: string }[];
    expect(projects.filter((p) => p.path === fs.realpathSync(repo))).toMatchObject([{ kind: 'local' }]);
    expect(treeHash(repo)).toBe(before);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });

  it('an ambiguous label is one line naming the candidates; --label answers it; --commit writes into the working tree only', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${(i % 3) + Math.sin(i)},${i % 2},${i % 3 ? 'a' : 'b'}`);
    const repo = onlyCsv(path.join(work, 'twolabels'), ['x,target,class', ...rows].join('\n') + '\n');
    const asked = cli(repo, 'init', '.');
    expect(asked.code).toBe(1);
    expect(asked.stderr.trim().split('\n')).toHaveLength(1);
    expect(asked.stderr.trim()).toBe('modelcommons: Which column of data/measurements.csv is the label: "target" or "class"? (answer with --label COL)');
    expect(cli(repo, 'init', '.', '--task', 'ranking').stderr.trim()).toBe('modelcommons: --task must be classification or regression, not "ranking"');

    const answered = cli(repo, 'init', '.', '--label', 'class', '--commit');
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toMatch(/label:\s+class/);
    const written = JSON.parse(fs.readFileSync(path.join(repo, 'modelcommons.json'), 'utf8')) as { data: { label: string } };
    expect(written.data.label).toBe('class');
    // Written, not committed: committing is the person's own step.
    expect(git(repo, ['status', '--porcelain'])).toBe('?? modelcommons.json\n');
  });

  it('a folder that is no git repository, and a project that already has a manifest, are refused in one line', () => {
    const plain = path.join(work, 'plain');
    fs.mkdirSync(plain, { recursive: true });
    const r = cli(work, 'train', './plain');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^modelcommons: \S*plain is not inside a git repository/);
    makeTabularProject(path.join(work, 'declared'), 2, 60);
    const again = cli(work, 'init', './declared');
    expect(again.stderr.trim()).toBe('modelcommons: declared already has a modelcommons.json: train it with modelcommons train ./declared');
  });
});
