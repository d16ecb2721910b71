// The preflight that starts `npm test`: it must name a missing tool and its install line at once, not minutes later.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.resolve('scripts/preflight.mjs');

/** A PATH holding only `git` (so `git lfs` finds no git-lfs), and the preflight run under it. */
function runWithout(tools: { chromiumAt?: string; redisAt?: string }) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-preflight-'));
  const git = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  fs.symlinkSync(git, path.join(bin, 'git'));
  const env: Record<string, string> = { PATH: bin, HOME: os.tmpdir() };
  if (tools.chromiumAt) env.MODELCOMMONS_PREFLIGHT_CHROMIUM = tools.chromiumAt;
  // redis-server found by its full path unless a test names a missing one (PATH here holds only git).
  env.MODELCOMMONS_PREFLIGHT_REDIS = tools.redisAt ?? spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  return spawnSync(process.execPath, [script], { env, encoding: 'utf8', timeout: 10_000 });
}

describe('npm test preflight', () => {
  it('passes on this machine, where the tests run', () => {
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 10_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('stops at once naming git-lfs and how to install it when git-lfs is not on PATH', () => {
    const result = runWithout({});
    expect(result.error).toBeUndefined(); // not killed by the 10 s bound
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('git-lfs is missing');
    expect(result.stderr).toContain('sudo apt-get install git-lfs');
    expect(result.stderr).toContain('brew install git-lfs');
    expect(result.stderr).toContain('winget install GitHub.GitLFS');
    expect(result.stderr).not.toContain('chromium is missing');
  });

  it('names a missing redis-server with its install line', () => {
    const result = runWithout({ redisAt: path.join(os.tmpdir(), 'no-such-redis-server') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^- redis-server is missing .*sudo apt-get install redis-server.*brew install redis/m);
  });

  it('names a missing Chromium too, one line per tool', () => {
    const result = runWithout({ chromiumAt: path.join(os.tmpdir(), 'no-such-chromium') });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n').slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^- git-lfs is missing/);
    expect(lines[1]).toMatch(/^- chromium is missing .*sudo apt-get install chromium/);
  });
});
