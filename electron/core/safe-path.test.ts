import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInsideRepo } from './safe-path.js';
import { tempDir } from './testing/git-fixtures.js';

describe('resolveInsideRepo', () => {
  const repo = tempDir();
  fs.mkdirSync(path.join(repo, 'data'));
  fs.writeFileSync(path.join(repo, 'data', 'a.csv'), 'x\n1\n');
  fs.symlinkSync('/etc/passwd', path.join(repo, 'data', 'passwd.csv'));
  fs.symlinkSync('a.csv', path.join(repo, 'data', 'inside.csv'));

  it('resolves a file inside the project', () => {
    expect(resolveInsideRepo(repo, 'data/a.csv')).toBe(fs.realpathSync(path.join(repo, 'data', 'a.csv')));
    expect(resolveInsideRepo(repo, 'data/inside.csv')).toBe(fs.realpathSync(path.join(repo, 'data', 'a.csv')));
  });
  it('refuses .. , absolute paths and symlinks that point outside', () => {
    expect(() => resolveInsideRepo(repo, '../x.csv', 'data.train')).toThrow('data.train "../x.csv" escapes the project folder');
    expect(() => resolveInsideRepo(repo, '/etc/passwd')).toThrow(/is absolute/);
    expect(() => resolveInsideRepo(repo, 'data/passwd.csv')).toThrow(/link that points outside/);
  });
  it('says when the file is missing', () => {
    expect(() => resolveInsideRepo(repo, 'data/none.csv')).toThrow(/does not exist in the project/);
  });
});
