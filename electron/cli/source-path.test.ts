// A folder typed on the command line is the person's folder, relative to where they are.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromWorkingDirectory } from './source-path.js';

describe("the CLI's sources", () => {
  it('resolves a relative folder from where the person runs the command; URLs and catalog entries stay as typed', () => {
    expect(fromWorkingDirectory('repo')).toBe(path.resolve('repo'));
    expect(fromWorkingDirectory('./a/b')).toBe(path.resolve('a/b'));
    for (const s of ['/abs/repo', '~/repo', 'https://example.org/a.git', 'git@example.org:a/b.git', 'bundled:iris-classifier', 'htp://x']) {
      expect(fromWorkingDirectory(s)).toBe(s);
    }
  });
});
