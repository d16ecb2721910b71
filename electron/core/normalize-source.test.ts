// What a typed project source becomes: git URLs as typed; absolute folders; nothing resolved against the host's own
// working directory (under `serve` that is the server's, a folder the person never chose).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeSource } from './projects-service.js';

describe('normalizeSource', () => {
  it('keeps git URLs and scp-like addresses as typed', () => {
    for (const url of ['https://example.org/a/b.git', 'ssh://git@example.org/a.git', 'git://example.org/a', 'file:///srv/a.git', 'git@example.org:a/b.git']) {
      expect(normalizeSource(`  ${url} `)).toBe(url);
    }
  });

  it('refuses an unknown scheme, naming it, instead of looking for a folder called "htp:"', () => {
    expect(() => normalizeSource('htp://not a url!!')).toThrow('"htp://not a url!!": htp:// is not a git URL scheme; use https://, ssh://, git:// or file://');
  });

  it('refuses a relative folder: the core has no working directory of the person', () => {
    expect(() => normalizeSource('not a url!!')).toThrow(/neither a git URL .* nor an absolute folder path/);
    expect(() => normalizeSource('./repo')).toThrow(/nor an absolute folder path/);
  });

  it('takes an absolute folder, and ~ as the home folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-source-'));
    expect(normalizeSource(dir)).toBe(dir);
    expect(normalizeSource(`${dir}/`)).toBe(dir);
    expect(() => normalizeSource(path.join(dir, 'missing'))).toThrow(`No folder at ${path.join(dir, 'missing')}`);
    const home = process.env.HOME;
    process.env.HOME = dir;
    try {
      expect(normalizeSource('~')).toBe(dir);
    } finally {
      process.env.HOME = home;
    }
  });
});
