import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { lfsPointer, serveRepository, startGitHttpServer, storeLfsObject, type GitHttpServer } from '../testing/git-http-server.js';
import { cloneRepository } from './clone-repository.js';
import { detectLfs, parseLfsPointer } from './detect-lfs.js';
import { fetchLfsObjects, gitLfsVersion, type LfsProgress } from './fetch-lfs-objects.js';
import { noise } from '../testing/git-test-support.js';
import { GitError } from './project-git.js';
import { readWorkingTreeStatus } from './working-tree-status.js';

const root = tempDir();
const served = path.join(root, 'served');
const weights = noise(400_000, 7);
const vocab = Buffer.from('hello\nworld\n');
let server: GitHttpServer;
let n = 0;
const clone = async (repo: string) => {
  const dest = path.join(root, `clone-${++n}`);
  await cloneRepository({ source: server.url(`${repo}.git`), destination: dest });
  return dest;
};
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  fs.mkdirSync(served);
  const src = path.join(root, 'src');
  fs.mkdirSync(src);
  git(src, ['init', '-q']);
  makeRepo(src, [
    {
      author: 'Ada',
      email: 'ada@example.org',
      message: 'model with LFS weights',
      files: {
        '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n',
        'model.bin': storeLfsObject(src, weights),
        'data/vocab.bin': storeLfsObject(src, vocab),
        'README.md': '# LFS model\n',
      },
    },
  ]);
  await serveRepository(served, 'lfs', src);

  makeRepo(path.join(root, 'partial'), [
    { author: 'Ada', email: 'ada@example.org', message: 'one', files: { '.gitattributes': '*.bin filter=lfs\n', 'gone.bin': lfsPointer('never uploaded').text } },
  ]);
  await serveRepository(served, 'partial', path.join(root, 'partial'));
  makeRepo(path.join(root, 'plain'), [{ author: 'Ada', email: 'ada@example.org', message: 'one', files: { 'a.txt': 'a\n' } }]);
  await serveRepository(served, 'plain', path.join(root, 'plain'));

  server = await startGitHttpServer({ root: served, bytesPerSecond: 800_000, chunkBytes: 16_384 });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('Git LFS', () => {
  it('parses pointers and nothing else', () => {
    const p = lfsPointer('x');
    expect(parseLfsPointer(p.text)).toEqual({ oid: p.oid, size: 1 });
    expect(parseLfsPointer('version https://git-lfs.github.com/spec/v1\nsize 3\n')).toBeNull();
    expect(parseLfsPointer('# README\n')).toBeNull();
  });

  it('detects LFS pointers in a clone (which never smudges them itself)', async () => {
    const dir = await clone('lfs');
    const state = await detectLfs(dir);
    expect(state).toMatchObject({ usesLfs: true, trackedFiles: 2, missingBytes: weights.length + vocab.length });
    expect(state.pointers.map((p) => p.path).sort()).toEqual(['data/vocab.bin', 'model.bin']);
    expect(state.pointers.find((p) => p.path === 'model.bin')?.oid).toBe(sha256(weights));
    expect(await detectLfs(await clone('plain'))).toEqual({ usesLfs: false, trackedFiles: 0, pointers: [], missingBytes: 0 });
  });

  it('fetches LFS content from the LFS server with progress, leaving a clean working tree', async () => {
    expect(await gitLfsVersion()).toMatch(/^git-lfs\//);
    const dir = await clone('lfs');
    const events: LfsProgress[] = [];
    const result = await fetchLfsObjects(dir, { onProgress: (p) => events.push(p) });
    expect(result).toEqual({ kind: 'fetched', files: 2, bytes: weights.length + vocab.length });
    expect(sha256(fs.readFileSync(path.join(dir, 'model.bin')))).toBe(sha256(weights));
    expect(fs.readFileSync(path.join(dir, 'data/vocab.bin'))).toEqual(vocab);
    expect((await readWorkingTreeStatus(dir)).clean).toBe(true);
    expect((await detectLfs(dir)).pointers).toEqual([]);

    expect(events.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ filesDone: 2, filesTotal: 2, percent: 100, bytesDone: weights.length + vocab.length });
    expect(events.some((e) => e.percent > 0 && e.percent < 100)).toBe(true);
    expect(server.requests.some((r) => r.path === '/lfs.git/info/lfs/objects/batch' && r.status === 200)).toBe(true);

    expect(await fetchLfsObjects(dir)).toEqual({ kind: 'fetched', files: 0, bytes: 0 });
    expect(await fetchLfsObjects(await clone('plain'))).toEqual({ kind: 'no-lfs' });
  });

  it('an object the LFS server lacks is a one-line "not found"', async () => {
    const dir = await clone('partial');
    const err = (await fetchLfsObjects(dir).catch((e: unknown) => e)) as GitError;
    expect(err).toBeInstanceOf(GitError);
    expect(err.gitKind).toBe('not-found');
    expect(err.message).not.toContain('\n');
  });

  it('without git-lfs installed, says exactly what to install', async () => {
    const dir = await clone('lfs');
    // A PATH with git but no git-lfs (git finds its own helpers in its exec-path, not on PATH).
    const bin = path.join(root, 'bin-without-lfs');
    fs.mkdirSync(bin);
    const realGit = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'git')).find((p) => fs.existsSync(p))!;
    fs.symlinkSync(realGit, path.join(bin, 'git'));
    const savedPath = process.env.PATH;
    process.env.PATH = bin;
    try {
      expect(await gitLfsVersion()).toBeNull();
      const err = (await fetchLfsObjects(dir).catch((e: unknown) => e)) as GitError;
      expect(err).toBeInstanceOf(GitError);
      expect(err.gitKind).toBe('lfs-missing');
      expect(err.message).toMatch(/git-lfs is not installed: install git-lfs \(apt install git-lfs \/ brew install git-lfs/);
      expect(err.message).toMatch(/then retry$/);
      expect((await detectLfs(dir)).pointers).toHaveLength(2); // detection needs no git-lfs
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
