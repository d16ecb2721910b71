import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';
import { serveRepository, startGitHttpServer, type GitHttpServer } from '../testing/git-http-server.js';
import { cloneRepository, type CloneProgress } from './clone-repository.js';
import { deepenRepository, isShallowRepository } from './deepen-repository.js';
import { closedPort, gitProcessesMentioning, noise } from '../testing/git-test-support.js';
import { GitError } from './project-git.js';
import { readCommits } from './read-history.js';

const root = tempDir();
const served = path.join(root, 'served');
let fast: GitHttpServer;
let slow: GitHttpServer;
let auth: GitHttpServer;
let dropping: GitHttpServer;
const credentials = { username: 'ada', password: 's3cret-pass' };

beforeAll(async () => {
  fs.mkdirSync(served);
  const small = makeRepo(path.join(root, 'small'), [
    { author: 'Ada', email: 'ada@example.org', message: 'one', files: { 'a.txt': '1\n' } },
    { author: 'Grace', email: 'grace@example.org', message: 'two', files: { 'b.txt': '2\n' } },
    { author: 'Ada', email: 'ada@example.org', message: 'three', files: { 'a.txt': '3\n' } },
    { author: 'Ada', email: 'ada@example.org', message: 'four', files: { 'c.txt': '4\n' } },
  ]);
  await serveRepository(served, 'small', small);
  // ~1.2 MB that does not compress: long enough on a slowed server for git to report throughput.
  const big = makeRepo(path.join(root, 'big'), [
    { author: 'Ada', email: 'ada@example.org', message: 'weights', files: { 'weights.bin': '' } },
  ]);
  fs.writeFileSync(path.join(big, 'weights.bin'), noise(1_200_000, 1));
  git(big, ['add', '-A']);
  git(big, ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.org', 'commit', '-q', '-m', 'real weights']);
  await serveRepository(served, 'big', big);

  fast = await startGitHttpServer({ root: served });
  slow = await startGitHttpServer({ root: served, bytesPerSecond: 600_000, chunkBytes: 8192 });
  auth = await startGitHttpServer({ root: served, requireAuth: credentials });
  dropping = await startGitHttpServer({ root: served, dropAfterBytes: 200_000 });
});

afterAll(async () => {
  await Promise.all([fast, slow, auth, dropping].map((s) => s?.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

const failure = async (p: Promise<unknown>): Promise<GitError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GitError);
  const gitErr = err as GitError;
  expect(gitErr.message).not.toContain('\n');
  return gitErr;
};

describe('clone over smart HTTP', () => {
  it("reports git's progress: phases, percent, objects, bytes and throughput", async () => {
    const dest = path.join(root, 'progress');
    const events: CloneProgress[] = [];
    await cloneRepository({ source: slow.url('big.git'), destination: dest, onProgress: (p) => events.push(p) });
    expect(fs.statSync(path.join(dest, 'weights.bin')).size).toBe(1_200_000);

    const receiving = events.filter((e) => e.phase === 'receiving');
    expect(receiving.length).toBeGreaterThan(1);
    expect(receiving.at(-1)).toMatchObject({ stage: 'receiving', percent: 100 });
    expect(receiving.some((e) => e.total !== null && e.processed !== null)).toBe(true);
    expect(receiving.some((e) => (e.bytes ?? 0) > 100_000)).toBe(true);
    expect(receiving.some((e) => (e.bytesPerSecond ?? 0) > 0)).toBe(true);
    const overall = events.map((e) => e.overallPercent);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    expect(overall.at(-1)).toBeGreaterThanOrEqual(85);
  });

  it('clones a repository and reads its history', async () => {
    const dest = path.join(root, 'small-clone');
    await cloneRepository({ source: fast.url('small.git'), destination: dest });
    expect((await readCommits(dest, 100)).map((c) => c.subject)).toEqual(['four', 'three', 'two', 'one']);
  });

  it('cancel midway kills git and its helpers and leaves no folder', async () => {
    const dest = path.join(root, 'cancelled');
    const abort = new AbortController();
    let firstProgress: CloneProgress | null = null;
    const err = await failure(
      cloneRepository({
        source: slow.url('big.git'),
        destination: dest,
        signal: abort.signal,
        onProgress: (p) => {
          firstProgress ??= p;
          abort.abort();
        },
      }),
    );
    expect(firstProgress).not.toBeNull();
    expect(err.gitKind).toBe('cancelled');
    expect(fs.existsSync(dest)).toBe(false);
    expect(gitProcessesMentioning([dest, `127.0.0.1:${slow.port}`])).toEqual([]);
  });

  it('a closed port is "unreachable"', async () => {
    const dest = path.join(root, 'unreachable');
    const err = await failure(cloneRepository({ source: `http://127.0.0.1:${await closedPort()}/x.git`, destination: dest }));
    expect(err.gitKind).toBe('unreachable');
    expect(err.message).toMatch(/cannot be reached$/);
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('a 404 and a repository the server does not have are "not found"', async () => {
    for (const source of [fast.notFoundUrl, fast.url('nope.git')]) {
      const dest = path.join(root, 'not-found');
      const err = await failure(cloneRepository({ source, destination: dest }));
      expect(err.gitKind).toBe('not-found');
      expect(fs.existsSync(dest)).toBe(false);
    }
  });

  it('a 401 is "auth required" and returns without waiting for a prompt; credentials get through', async () => {
    const dest = path.join(root, 'auth');
    const err = await failure(cloneRepository({ source: auth.url('small.git'), destination: dest }));
    expect(err.gitKind).toBe('auth-required');
    expect(fs.existsSync(dest)).toBe(false);

    const wrong = await failure(cloneRepository({ source: auth.url('small.git', { ...credentials, password: 'wrong-pass' }), destination: dest }));
    expect(wrong.gitKind).toBe('auth-required');
    expect(wrong.message).not.toContain('wrong-pass');

    await cloneRepository({ source: auth.url('small.git', credentials), destination: dest });
    expect(fs.existsSync(path.join(dest, 'c.txt'))).toBe(true);
  }, 20_000);

  it('a web page that is not a git server, and a plain folder, are "not a git repository"', async () => {
    const dest = path.join(root, 'not-git');
    expect((await failure(cloneRepository({ source: fast.notGitUrl, destination: dest }))).gitKind).toBe('not-a-repository');
    const plain = path.join(root, 'plain-folder');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'notes.txt'), 'hi');
    const err = await failure(cloneRepository({ source: plain, destination: dest }));
    expect(err.gitKind).toBe('not-a-repository');
    expect(err.message).toContain('is a folder but not a git repository');
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('an existing destination is refused before git runs and kept as it was', async () => {
    const dest = path.join(root, 'occupied');
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, 'mine.txt'), 'keep');
    const err = await failure(cloneRepository({ source: fast.url('small.git'), destination: dest }));
    expect(err.gitKind).toBe('destination-exists');
    expect(fs.readFileSync(path.join(dest, 'mine.txt'), 'utf8')).toBe('keep');
  });

  it('a connection dropped mid-pack is "interrupted" and leaves no folder', async () => {
    const dest = path.join(root, 'dropped');
    const err = await failure(cloneRepository({ source: dropping.url('big.git'), destination: dest }));
    expect(err.gitKind).toBe('interrupted');
    expect(err.message).toMatch(/try again$/);
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('a shallow clone has `depth` commits until deepenRepository fetches the rest', async () => {
    const dest = path.join(root, 'shallow');
    await cloneRepository({ source: fast.url('small.git'), destination: dest, depth: 1 });
    expect(await isShallowRepository(dest)).toBe(true);
    expect(await readCommits(dest, 100)).toHaveLength(1);

    expect(await deepenRepository(dest)).toEqual({ kind: 'deepened', commits: 4 });
    expect(await isShallowRepository(dest)).toBe(false);
    expect(await readCommits(dest, 100)).toHaveLength(4);
    expect(await deepenRepository(dest)).toEqual({ kind: 'already-complete', commits: 4 });
  });

  it('depth is honoured for a local folder too', async () => {
    const dest = path.join(root, 'shallow-local');
    await cloneRepository({ source: path.join(root, 'small'), destination: dest, depth: 2 });
    expect(await readCommits(dest, 100)).toHaveLength(2);
  });
});
