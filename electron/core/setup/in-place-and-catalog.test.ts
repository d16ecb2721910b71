import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../services.js';
import { blobsCsv, git, makeRepo, tempDir, treeHash } from '../testing/git-fixtures.js';

const root = tempDir('mc-in-place-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const csvRepo = (name: string, commits = 1) =>
  makeRepo(
    path.join(root, name),
    Array.from({ length: commits }, (_, i) => ({ author: 'Ada', email: 'ada@x.org', message: `data ${i}`, files: { 'data/train.csv': blobsCsv(60 + i * 30, 3, 2, i + 1) } })),
  );

describe('a local repository in place', () => {
  it('is a local project at its own folder; git operations that write into it are refused; nothing in it changes', async () => {
    const repo = csvRepo('mine');
    const before = treeHash(repo);
    const services = createServices({ home: path.join(root, 'home-a'), version: 'test' });
    try {
      const added = await services.dispatch('projects:add', { source: path.join(repo, 'data'), inPlace: true });
      expect(added).toMatchObject({ ok: true, value: { kind: 'local', path: fs.realpathSync(repo), status: 'ready', name: 'mine' } });
      const project = services.projects.list()[0]!;
      // Reads work; fetch, pull, switch, checkout and deepen would write into the person's repository.
      expect((await services.projects.gitStatus(project.id, false)).clean).toBe(true);
      for (const write of [
        () => services.projects.gitStatus(project.id, true),
        () => services.projects.pull(project.id, false),
        () => services.projects.checkout(project.id, 'HEAD', false),
        () => services.projects.deepen(project.id),
      ]) {
        await expect(write()).rejects.toThrow(/^"mine" is your own folder, used in place: ModelCommons does not .+ it \(use git in /);
      }
      // The same folder again, as a copy or in place: already a project; the folder stays.
      await expect(services.projects.add(repo)).rejects.toThrow(/already added/);
      await expect(services.projects.add(repo, { inPlace: true })).rejects.toThrow(/is already the project "mine"/);
      expect((await services.setup.detect(project.id)).manifest?.data.train).toBe('data/train.csv');
      // Removing the project forgets it; the person's folder stays, byte for byte.
      expect(await services.dispatch('projects:remove', { projectId: project.id })).toMatchObject({ ok: true, value: { folderRemoved: false } });
      expect(services.projects.list()).toEqual([]);
      expect(treeHash(repo)).toBe(before);
      expect(git(repo, ['status', '--porcelain'])).toBe('');
    } finally {
      services.close();
    }
  });

  it('a folder outside any repository is refused naming it', async () => {
    const plain = path.join(root, 'plain');
    fs.mkdirSync(plain);
    const services = createServices({ home: path.join(root, 'home-b'), version: 'test' });
    try {
      await expect(services.projects.add(plain, { inPlace: true })).rejects.toThrow(`${plain} is not inside a git repository`);
    } finally {
      services.close();
    }
  });
});

describe('a catalog entry that carries a manifest for a repository without one', () => {
  it('a clone from it checks out the pinned commit and keeps the manifest in the data folder; the repository is unchanged', async () => {
    const upstream = csvRepo('upstream-data', 2);
    const pinned = git(upstream, ['rev-list', '--max-parents=0', 'HEAD']).trim();
    const manifest = {
      name: 'pinned-blobs',
      task: 'classification',
      data: { train: 'data/train.csv', label: 'label' },
      model: { layers: [{ type: 'dense', units: 2, activation: 'softmax' }] },
    };
    const url = pathToFileURL(upstream).href;
    const entry = { name: 'pinned-blobs', url, description: 'Blobs', task: 'classification', license: 'MIT', overlay: { commit: pinned, manifest } };
    const catalog = makeRepo(path.join(root, 'catalog'), [{ author: 'Ada', email: 'ada@x.org', message: 'c', files: { 'catalog.json': JSON.stringify({ name: 'Lab', entries: [entry] }) } }]);
    const services = createServices({ home: path.join(root, 'home-c'), version: 'test' });
    try {
      await services.catalogs.addCatalog(pathToFileURL(catalog).href);
      const project = await services.addProject(url);
      expect((await services.projects.gitStatus(project.id, false))).toMatchObject({ head: pinned, detached: true, clean: true });
      expect(services.training.manifestInfo(project.id)).toMatchObject({ found: true, error: null, name: 'pinned-blobs', source: 'overlay' });
      expect(fs.existsSync(path.join(project.path, 'modelcommons.json'))).toBe(false);
      // The first commit's 60 rows, not HEAD's 90: the manifest was written for that commit.
      expect(fs.readFileSync(path.join(project.path, 'data/train.csv'), 'utf8').trim().split('\n')).toHaveLength(61);
    } finally {
      services.close();
    }
  });
});
