import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, tempDir } from '../core/testing/git-fixtures.js';

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
    for (const command of ['serve', 'projects', 'clone', 'train']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
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
