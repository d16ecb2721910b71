// kill -9 of the CLI while git checks out the files: the next start marks the clone failed *and* removes the half
// checked-out folder from the data folder, and a retry starts clean; a folder the person chose is never removed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from './services.js';
import { makeRepo, tempDir } from './testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('../cli/cli.ts', import.meta.url));
const root = tempDir('mc-interrupted-clone-');
let source: string; // one 4,000-file repository, made by the first test
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Pids whose parent is `ppid` (Linux /proc). */
function childrenOf(ppid: number): number[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid;
    } catch {
      return false;
    }
  });
}

/** A repository whose checkout takes long enough to be caught in the middle (4,000 files). */
function manyFiles(dir: string) {
  const files: Record<string, string> = {};
  for (let i = 0; i < 4000; i++) files[`d${i % 40}/f${i}.txt`] = `line ${i}\n`.repeat(200);
  return makeRepo(dir, [{ author: 'A', email: 'a@x.org', message: 'many', files }]);
}

/** Whether git has begun writing the working tree into `folder` (a first directory of files beside .git). */
function checkoutStarted(folder: string): boolean {
  try {
    return fs.readdirSync(folder).some((e) => e.startsWith('d'));
  } catch {
    return false;
  }
}

/**
 * Runs `modelcommons clone`, and kills it with SIGKILL (and its git, as a power cut would) once the checkout has
 * begun writing files into the folder: polled every few ms, well inside a 4,000-file checkout.
 */
async function cloneKilledInCheckout(home: string, source: string, folderOf: () => string | null, extra: string[] = []): Promise<void> {
  const cli = spawn(process.execPath, ['--import', 'tsx', cliSource, 'clone', source, ...extra], {
    env: { ...process.env, MODELCOMMONS_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  cli.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
  const exited = new Promise((r) => cli.once('exit', r));
  while (cli.exitCode === null && cli.signalCode === null) {
    const folder = folderOf();
    if (folder && checkoutStarted(folder)) {
      const gits = childrenOf(cli.pid!);
      process.kill(cli.pid!, 'SIGKILL'); // the host alone, as a crash would
      for (const pid of gits) {
        try {
          process.kill(-pid, 'SIGKILL'); // git runs in its own group
        } catch {
          // already done
        }
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await exited;
  if (cli.signalCode !== 'SIGKILL') throw new Error(`clone ended (${cli.exitCode}) before its checkout was caught: ${err.slice(-300)}`);
}

const onlyEntry = (dir: string) => () => {
  try {
    const [first] = fs.readdirSync(dir);
    return first ? path.join(dir, first) : null;
  } catch {
    return null;
  }
};

describe.runIf(process.platform === 'linux')('a clone killed during its checkout', () => {
  it('leaves no folder behind after the next start, and a retry clones cleanly', async () => {
    source = manyFiles(path.join(root, 'src', 'many'));
    const home = path.join(root, 'home');
    await cloneKilledInCheckout(home, source, onlyEntry(path.join(home, 'projects')));
    const left = fs.readdirSync(path.join(home, 'projects'));
    expect(left).toHaveLength(1); // the half checkout, before the next start

    const services = createServices({ home, version: 'test' });
    try {
      expect(services.projects.list()).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringMatching(/interrupted/) })]);
      expect(fs.readdirSync(path.join(home, 'projects'))).toEqual([]);
      const again = await services.projects.add(source);
      expect(again.status).toBe('ready');
      expect(fs.readdirSync(path.join(home, 'projects'))).toEqual([path.basename(again.path)]);
      expect(fs.readdirSync(path.join(again.path, 'd0'))).toHaveLength(100);
    } finally {
      services.close();
    }
  });

  it('keeps a folder the person chose (--dir), marking the clone failed', async () => {
    const home = path.join(root, 'home-dir');
    const mine = path.join(root, 'my-folder');
    await cloneKilledInCheckout(home, source, () => mine, ['--dir', mine]);
    const services = createServices({ home, version: 'test' });
    try {
      expect(services.projects.list()).toEqual([expect.objectContaining({ status: 'failed' })]);
      expect(fs.existsSync(path.join(mine, '.git'))).toBe(true);
    } finally {
      services.close();
    }
  });
});
