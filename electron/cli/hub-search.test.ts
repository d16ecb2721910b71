// `modelcommons catalog hub on` and `catalog search --hub` against a loopback server answering like the Hub's API.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSearchResult } from '../../shared/catalog.js';
import { tempDir } from '../core/testing/git-fixtures.js';
import { startHubApiServer, type HubApiServer } from '../core/testing/hub-api-server.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const home = tempDir('mc-cli-hub-');
let hub: HubApiServer;

/** The CLI as a child process; asynchronous, so the loopback Hub in this process keeps answering. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, MODELCOMMONS_HOME: home, HF_ENDPOINT: hub.baseUrl };
    delete env.HF_TOKEN;
    const child = spawn(process.execPath, ['--import', 'tsx', cliSource, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  hub = await startHubApiServer([
    { id: 'keras-io/mnist-convnet', library: 'keras', downloads: 900, likes: 12, lastModified: '2025-03-01T10:00:00.000Z' },
    { id: 'ada/iris-tfjs', library: 'tfjs', downloads: 70, likes: 1 },
  ]);
});
afterAll(async () => {
  await hub.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('modelcommons catalog search --hub', () => {
  it('is refused while the source is off, then lists the library’s models once turned on, and the stored listing offline', async () => {
    const off = await cli('catalog', 'search', 'mnist', '--hub', '--library', 'keras');
    expect(off.code).toBe(1);
    expect(off.stderr.trim().split('\n')).toHaveLength(1);
    expect(off.stderr).toContain('The Hugging Face Hub source is off: turn it on with `modelcommons catalog hub on`');
    expect(hub.requests).toHaveLength(0);

    expect((await cli('catalog', 'hub', 'on')).stdout).toContain(`The Hugging Face Hub source is on (${hub.baseUrl})`);
    const text = await cli('catalog', 'search', 'mnist', '--hub', '--library', 'keras');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^keras-io\/mnist-convnet\s+keras · 900 downloads · 12 likes · updated 2025-03-01$/m);
    expect(text.stdout).toContain(`${hub.baseUrl}/keras-io/mnist-convnet [Hugging Face Hub]`);
    expect(text.stdout).not.toContain('iris-tfjs');

    const json = await cli('catalog', 'search', '--hub', '--library', 'tfjs', '--json');
    const result = JSON.parse(json.stdout) as HubSearchResult;
    expect(result.models.map((m) => m.id)).toEqual(['ada/iris-tfjs']);
    expect(result.fromCache).toBe(false);

    hub.failNext(429);
    const limited = await cli('catalog', 'search', '--hub', '--library', 'tfjs');
    expect(limited.code).toBe(0);
    expect(limited.stderr).toContain('(HTTP 429): try again later, or give a Hub token; showing the listing stored as of');
    expect(limited.stdout).toContain('ada/iris-tfjs');

    hub.failNext(503);
    const failed = await cli('catalog', 'search', 'never-stored', '--hub');
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe('modelcommons: The Hugging Face Hub answered HTTP 503: Server error 503');
  });
});
