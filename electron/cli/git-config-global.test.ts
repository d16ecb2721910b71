// People set GIT_CONFIG_GLOBAL to keep their git config elsewhere: every git call of train, impact, clone and the
// card facts must work with it set (the git runner passes it on as the user's own).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTabularProject, tempDir } from '../core/testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const root = tempDir('mc-cli-gitconfig-');
const home = path.join(root, 'home');
const globalConfig = path.join(root, 'my-gitconfig');
fs.writeFileSync(globalConfig, '[user]\n\tname = Someone Else\n\temail = someone@x.org\n[color]\n\tui = always\n');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, ...args], {
    env: { ...process.env, MODELCOMMONS_HOME: home, GIT_CONFIG_GLOBAL: globalConfig },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('GIT_CONFIG_GLOBAL set to a real file', () => {
  it('clone, train and impact all work', () => {
    const repo = makeTabularProject(path.join(root, 'src', 'configured'), 1, 60);
    const cloned = cli('clone', repo, '--json');
    expect(cloned.code, cloned.stderr).toBe(0);
    const trained = cli('train', 'configured', '--json', '--backend', 'cpu');
    expect(trained.code, trained.stderr).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({ commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const impact = cli('impact', 'configured', '--json');
    expect(impact.code, impact.stderr).toBe(0);
    const names = (JSON.parse(impact.stdout) as { contributors: { name: string }[] }).contributors.map((c) => c.name).sort();
    expect(names).toEqual(['Ada Lovelace', 'Grace Hopper']);
  });
});
