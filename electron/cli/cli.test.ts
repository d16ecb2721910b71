import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, makeTabularProject, tempDir } from '../core/testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const home = tempDir('mc-cli-home-');
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], {
    env: { ...process.env, MODELCOMMONS_HOME: home },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('modelcommons CLI', () => {
  it('--help lists the commands, --version prints the version', () => {
    const help = cli('--help');
    expect(help.code).toBe(0);
    for (const command of ['serve', 'projects', 'clone', 'update', 'train', 'impact', 'catalog']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const version = cli('--version');
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command exits non-zero with one line on stderr', () => {
    const r = cli('frobnicate');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^modelcommons: unknown command 'frobnicate'/);
  });

  it('clone --json prints the project record alone on stdout, and projects --json lists it', () => {
    const repo = makeRepo(path.join(home, 'src', 'tiny'), [{ author: 'A', email: 'a@x.org', message: 'm', files: { 'x.txt': 'x' } }]);
    const cloned = cli('clone', repo, '--json');
    expect(cloned.code, cloned.stderr).toBe(0);
    const project = JSON.parse(cloned.stdout);
    expect(project).toMatchObject({ name: 'tiny', status: 'ready', source: repo });
    expect(fs.existsSync(path.join(project.path, 'x.txt'))).toBe(true);
    const list = JSON.parse(cli('projects', '--json').stdout);
    expect(list.map((p: { id: string }) => p.id)).toEqual([project.id]);
  });

  it('impact --json gives every contributor with the documented keys, honouring --weights', () => {
    const repo = makeRepo(path.join(home, 'src', 'credited'), [
      { author: 'Ada', email: 'ada@x.org', message: 'code', files: { 'src/model.py': 'a\nb\nc\n' } },
      { author: 'Grace', email: 'grace@x.org', message: 'docs\n\nReviewed-by: Ada <ada@x.org>', files: { 'README.md': '# Hi\n' } },
    ]);
    expect(cli('clone', repo).code).toBe(0);
    const r = cli('impact', 'credited', '--json', '--weights', '0,1,0');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { contributors: Record<string, unknown>[]; weights: unknown };
    expect(report.weights).toEqual({ alpha: 0, beta: 1, gamma: 0, delta: 0 });
    for (const c of report.contributors) {
      for (const key of ['name', 'email', 'emails', 'commits', 'merges', 'linesAdded', 'linesDeleted', 'survivingLines', 'categories', 'coAuthored', 'reviewed', 'bot', 'score', 'share']) {
        expect(c).toHaveProperty(key);
      }
    }
    const byName = Object.fromEntries(report.contributors.map((c) => [c.name, c]));
    expect(byName.Grace).toMatchObject({ commits: 1, share: 1 }); // all the docs, and only docs count
    expect(byName.Ada).toMatchObject({ commits: 1, reviewed: 1, survivingLines: 3, share: 0 });
    expect(cli('impact', 'credited', '--weights', '1,2').stderr).toMatch(/^modelcommons: --weights must be three numbers/);
    // A 4th weight is δ, the model term's; without a model analysis M is 0 for everyone, so the shares stay.
    const withDelta = JSON.parse(cli('impact', 'credited', '--json', '--weights', '0,1,0,0.5').stdout) as { weights: unknown; modelTerm?: unknown; contributors: { name: string; share: number; components: { m: number } }[] };
    expect(withDelta.weights).toEqual({ alpha: 0, beta: 1, gamma: 0, delta: 0.5 });
    expect(withDelta.modelTerm).toBeUndefined();
    expect(withDelta.contributors.map((c) => c.components.m)).toEqual([0, 0]);
    expect(withDelta.contributors.find((c) => c.name === 'Grace')!.share).toBe(1);

    // A category rule of the project's own, kept for later runs: README.md counts as code from now on.
    const ruled = JSON.parse(cli('impact', 'credited', '--json', '--category', 'README.md=code').stdout) as { contributors: { name: string; categories: Record<string, { commits: number }> }[] };
    expect(ruled.contributors.find((c) => c.name === 'Grace')!.categories.code!.commits).toBe(1);
    const later = JSON.parse(cli('impact', 'credited', '--json').stdout) as typeof ruled;
    expect(later.contributors.find((c) => c.name === 'Grace')!.categories.docs!.commits).toBe(0);
    const reset = JSON.parse(cli('impact', 'credited', '--json', '--reset-categories').stdout) as typeof ruled;
    expect(reset.contributors.find((c) => c.name === 'Grace')!.categories.docs!.commits).toBe(1);
    expect(cli('impact', 'credited', '--category', 'x/**=poetry').stderr).toMatch(/^modelcommons: Rule 1 \("x\/\*\*"\): "poetry" is not a category/);
  });

  it('catalog search finds the bundled examples offline, and clone takes a catalog entry', () => {
    const r = cli('catalog', 'search', 'iris', '--json');
    expect(r.code, r.stderr).toBe(0);
    const hits = JSON.parse(r.stdout) as { name: string; url: string }[];
    expect(hits.map((h) => h.name)).toEqual(['iris-classifier']);
    const cloned = cli('clone', hits[0]!.url, '--json');
    expect(cloned.code, cloned.stderr).toBe(0);
    expect(JSON.parse(cloned.stdout)).toMatchObject({ name: 'iris-classifier', source: 'bundled:iris-classifier', status: 'ready' });
    expect(cli('catalog', 'search', '--task', 'regression', '--json').stdout).toContain('auto-mpg-regression');
  });

  it('update fast-forwards to the upstream and keeps local changes', () => {
    const upstream = makeRepo(path.join(home, 'src', 'moving'), [{ author: 'A', email: 'a@x.org', message: 'one', files: { 'a.txt': '1\n' } }]);
    const project = JSON.parse(cli('clone', upstream, '--json').stdout) as { path: string };
    fs.writeFileSync(path.join(project.path, 'mine.txt'), 'local\n');
    makeRepo(upstream, [{ author: 'A', email: 'a@x.org', message: 'two', files: { 'b.txt': '2\n' } }]);
    const r = cli('update', 'moving', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { before: { behind: number }; pulled: { commits: number }; after: { behind: number; untracked: number } };
    expect(out.before.behind).toBe(1);
    expect(out.pulled.commits).toBe(1);
    expect(out.after).toMatchObject({ behind: 0, untracked: 1 });
    expect(fs.readFileSync(path.join(project.path, 'mine.txt'), 'utf8')).toBe('local\n');
  });

  it('train --json, runs lists the run, and export copies its model in tfjs format', () => {
    const repo = makeTabularProject(path.join(home, 'src', 'exportable'), 3);
    expect(cli('clone', repo).code).toBe(0);
    // The CLI has no Chromium context: a GPU backend says where it trains instead.
    const gpu = cli('train', 'exportable', '--backend', 'webgl');
    expect(gpu.code).toBe(1);
    expect(gpu.stderr.trim().split('\n')).toHaveLength(1);
    expect(gpu.stderr).toMatch(/webgl backend is not available here: .*the desktop app, or a page of `modelcommons serve`/);
    const trained = cli('train', 'exportable', '--json', '--backend', 'cpu');
    expect(trained.code, trained.stderr).toBe(0);
    const run = JSON.parse(trained.stdout) as Record<string, unknown>;
    for (const key of ['runId', 'backend', 'task', 'metrics', 'confusionMatrix', 'labels', 'history', 'seconds', 'samplesPerSecond']) expect(run).toHaveProperty(key);
    expect(run).toMatchObject({ backend: 'cpu', task: 'classification', labels: ['setosa', 'versicolor', 'virginica'] });
    expect((run.history as unknown[]).length).toBe(3);
    const runs = JSON.parse(cli('runs', 'exportable', '--json').stdout) as { id: string; status: string }[];
    expect(runs).toEqual([expect.objectContaining({ id: run.runId, status: 'succeeded' })]);
    const out = path.join(home, 'exported');
    const exported = cli('export', String(run.runId), out, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')).format).toBe('layers-model');
    expect(cli('export', String(run.runId), out).stderr).toMatch(/exists and is not empty/);
  });

  it('a failure is one line on stderr and a non-zero exit', () => {
    const r = cli('clone', path.join(home, 'no-such-folder'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^modelcommons: No folder at .*no-such-folder/);
  });

  it('serve prints a tokened 127.0.0.1 URL that answers', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cliSource, 'serve', '--port', '0'], {
      env: { ...process.env, MODELCOMMONS_HOME: home },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
          if (m) resolve(m[0]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(401);
      const r = await fetch(url.replace('/?', '/api/invoke/app:info?'), { method: 'POST', body: '{}' });
      expect(((await r.json()) as { value: { home: string } }).value.home).toBe(home);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
