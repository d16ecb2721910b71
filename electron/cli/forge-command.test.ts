// `modelcommons forge sync` and `impact --json` from the CLI, against a loopback server answering like GitHub.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCommunity, startForgeApiServer, type ForgeApiServer } from '../core/testing/forge-api-server.js';
import { makeRepo, tempDir } from '../core/testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const home = tempDir('mc-cli-forge-');
const TOKEN = 'ghp_cliTokenNeverStored42';
let server: ForgeApiServer;

/** The CLI as a child process; asynchronous, so the loopback server in this process keeps answering. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cliSource, ...args], { env: { ...process.env, MODELCOMMONS_HOME: home, GITHUB_TOKEN: TOKEN } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  const c = emptyCommunity();
  c.issues.push({ number: 1, user: { login: 'quinn' }, updatedAt: '2026-03-01T00:00:00Z' });
  c.comments.push({ id: 5, issue: 1, user: { login: 'ada' }, updatedAt: '2026-03-02T00:00:00Z' });
  c.commits.push({ sha: 's', login: 'ada', name: 'Ada', email: 'ada@x.org', date: '2026-01-01T00:00:00Z' });
  server = await startForgeApiServer(c);
});
afterAll(async () => {
  await server.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('modelcommons forge sync', () => {
  it('asks for --github/--gitlab until connected, then syncs and impact --json shows interaction and logins', async () => {
    const repo = makeRepo(path.join(home, 'src', 'forged'), [{ author: 'Ada', email: 'ada@x.org', message: 'code', files: { 'src/model.py': 'a\n' } }]);
    expect((await cli('clone', repo, '--json')).code).toBe(0);
    const unconnected = await cli('forge', 'sync', 'forged');
    expect(unconnected.code).not.toBe(0);
    expect(unconnected.stderr.trim().split('\n')).toHaveLength(1);
    expect(unconnected.stderr).toMatch(/not connected to a forge: give --github OWNER\/REPO/);
    expect(server.requests).toHaveLength(0);

    const synced = await cli('forge', 'sync', 'forged', '--github', 'octo/forged', '--api-url', server.baseUrl, '--json');
    expect(synced.code, synced.stderr).toBe(0);
    const result = JSON.parse(synced.stdout);
    expect(result.status).toMatchObject({ connection: { forge: 'github', repo: 'octo/forged', apiUrl: server.baseUrl }, hasToken: true, counts: { issues: 1, comments: 1 } });
    expect(server.requests.every((r) => r.auth === `token ${TOKEN}`)).toBe(true);

    const human = await cli('forge', 'sync', 'forged');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/as of 20\d\d-.*rate limit \d+ of 5000 left/);
    expect(human.stdout).toMatch(/this sync: 4 requests \(4 answered 304 Not Modified\)/);

    const impact = JSON.parse((await cli('impact', 'forged', '--json', '--no-blame')).stdout);
    const ada = impact.contributors.find((c: { email: string }) => c.email === 'ada@x.org');
    expect(ada).toMatchObject({ logins: ['ada'], interaction: { issuesOpened: 0, answers: 1, reviews: 0, reviewComments: 0 } });
    const quinn = impact.contributors.find((c: { logins: string[] }) => c.logins.includes('quinn'));
    expect(quinn).toMatchObject({ name: 'quinn', commits: 0, interaction: { issuesOpened: 1 } });
    const db = fs.readFileSync(path.join(home, 'modelcommons.db'));
    expect(db.includes(TOKEN)).toBe(false);
  });
});
