// Untrusted text through the real CLI: terminal escapes in author names, file names, folder names, catalog
// fields and CSV cells never reach the terminal raw; --json keeps the exact text.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, tabularManifest, tempDir } from '../core/testing/git-fixtures.js';
import { terminalText } from './terminal-text.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const home = tempDir('mc-cli-hostile-');
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/** Clears the screen, homes the cursor, sets the window title, and plants a link and a clipboard write. */
const EVIL = 'Mallory\x1b[2J\x1b[H\x1b]0;TITLE\x07\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\\x1b]52;c;ZXZpbA==\x07\u009b31m\u202eboom';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/; // everything but the newline ending a line

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], {
    env: { ...process.env, MODELCOMMONS_HOME: home },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('terminalText', () => {
  it('shows C0, C1, DEL, ESC sequences, newlines and bidi overrides as visible escapes, and keeps other text', () => {
    expect(terminalText('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(terminalText('x\ny\rz\x7f\u009b\u202e')).toBe('x\\x0ay\\x0dz\\x7f\\x9b\\u{202e}');
    expect(terminalText('Zoë — 日本 <z@x.org> 😀 C:\\path')).toBe('Zoë — 日本 <z@x.org> 😀 C:\\path');
    expect(RAW_CONTROL.test(terminalText(EVIL))).toBe(false);
  });
});

describe('hostile text through the CLI', () => {
  it('impact and projects print ANSI author names, file names and folder names escaped; --json keeps them exact', () => {
    const repo = makeRepo(path.join(home, 'src', `evil\x1b[31mrepo`), [
      { author: EVIL, email: 'm\x1b[1m@x.org', message: 'x\x1b]0;T\x07', files: { [`src/\x1b[2Jfile\x1b]0;T\x07.py`]: 'a\nb\n' } },
      { author: 'Ada', email: 'ada@x.org', message: 'docs', files: { 'README.md': '# Hi\n' } },
    ]);
    const cloned = cli('clone', repo, '--json');
    expect(cloned.code, cloned.stderr).toBe(0);
    const project = JSON.parse(cloned.stdout) as { id: string; name: string };

    const impact = cli('impact', project.id);
    expect(impact.code, impact.stderr).toBe(0);
    expect(impact.stdout).not.toContain('\x1b');
    expect(RAW_CONTROL.test(impact.stdout)).toBe(false);
    expect(impact.stdout).toContain('Mallory\\x1b[2J\\x1b[H\\x1b]0;TITLE\\x07');
    expect(impact.stdout).toContain('m\\x1b[1m@x.org');

    const json = JSON.parse(cli('impact', project.id, '--json').stdout) as { contributors: { name: string }[] };
    expect(json.contributors.map((c) => c.name)).toContain(EVIL);

    const projects = cli('projects');
    expect(projects.stdout).not.toContain('\x1b');
    expect(projects.stdout).toContain('evil\\x1b[31mrepo');
  });

  it('catalog list and search print an evil catalog escaped, and refuse control characters in entry URLs', () => {
    const evilEntry = {
      name: `tool\x1b]52;c;ZXZpbA==\x07`,
      url: 'https://h.example/a.git',
      description: `fine\x1b[1A\x1b[2K\nmodelcommons: all good\x1b]8;;https://evil.example\x1b\\here`,
      task: 'classification',
      license: 'MIT',
      tags: ['evil'],
    };
    const catalogRepo = makeRepo(path.join(home, 'src', 'evil-catalog'), [
      { author: 'M', email: 'm@x.org', message: 'c', files: { 'catalog.json': JSON.stringify({ name: `Lab\x1b]0;pwned\x07`, entries: [evilEntry] }) } },
    ]);
    const added = cli('catalog', 'add', catalogRepo);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).not.toContain('\x1b');

    const list = cli('catalog', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).not.toContain('\x1b');
    expect(list.stdout).toContain('Lab\\x1b]0;pwned\\x07');

    const search = cli('catalog', 'search', '--tag', 'evil');
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).not.toContain('\x1b');
    expect(RAW_CONTROL.test(search.stdout)).toBe(false);
    // The embedded newline cannot fake a line of its own: each hit is exactly two lines.
    expect(search.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(search.stdout).not.toMatch(/^modelcommons: all good/m);
    const hits = JSON.parse(cli('catalog', 'search', '--tag', 'evil', '--json').stdout) as { description: string }[];
    expect(hits[0]!.description).toBe(evilEntry.description);

    const badUrl = makeRepo(path.join(home, 'src', 'bad-url-catalog'), [
      { author: 'M', email: 'm@x.org', message: 'c', files: { 'catalog.json': JSON.stringify({ name: 'Urls', entries: [{ ...evilEntry, name: 'u', url: 'https://h.example/\x1b]8;;x\x07a.git' }] }) } },
    ]);
    const refused = cli('catalog', 'add', badUrl);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/entries\.0\.url: expected a git URL/);
    expect(refused.stderr).not.toContain('\x1b');
  });

  it('a CSV cell with escapes comes back escaped inside the error line', () => {
    const cell = 'x\x1b]52;c;ZXZpbA==\x07\x1b[2J';
    const rows = ['f0,label', ...Array.from({ length: 20 }, (_, i) => `${i},${cell}`)].join('\n') + '\n';
    const repo = makeRepo(path.join(home, 'src', 'evil-cells'), [
      { author: 'A', email: 'a@x.org', message: 'm', files: { 'data/train.csv': rows, 'modelcommons.json': JSON.stringify(tabularManifest(1)) } },
    ]);
    expect(cli('clone', repo).code).toBe(0);
    const r = cli('train', 'evil-cells', '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^modelcommons: .*only one class \("x\\x1b\]52;c;ZXZpbA==\\x07\\x1b\[2J"\)/);
    expect(r.stderr).not.toContain('\x1b');
  });
});
