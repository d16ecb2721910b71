// kill -9 of the host alone (not its process group): the training process it started must notice within a batch
// that its parent is gone and exit, writing no checkpoint for a run the store will mark failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTabularProject, tempDir } from '../testing/git-fixtures.js';

const cliSource = fileURLToPath(new URL('../../cli/cli.ts', import.meta.url));
const root = tempDir('mc-orphan-');
const home = path.join(root, 'home');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The pids whose parent is `ppid` (Linux /proc), zombies left out. */
function childrenOf(ppid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === ppid && fields[0] !== 'Z') found.push(Number(entry));
  }
  return found;
}

/** Fields 3 onwards of /proc/<pid>/stat (state, ppid, …), or null when the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const running = (pid: number) => {
  const fields = statFields(pid);
  return fields !== null && fields[0] !== 'Z';
};

function run(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', cliSource, ...args], { env: { ...process.env, MODELCOMMONS_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe.runIf(process.platform === 'linux')('an orphaned training process', () => {
  it('stops within a batch of its host being killed with SIGKILL, and writes no checkpoint', async () => {
    const repo = makeTabularProject(path.join(root, 'src', 'long'), 5000, 400);
    await new Promise<void>((resolve, reject) => run(['clone', repo]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`clone exited ${code}`)))));

    const host = run(['train', 'long', '--backend', 'cpu']);
    let trainer: number | undefined;
    try {
      // The first epoch line: the trainer is mid-run (5,000 epochs would take minutes).
      await new Promise<void>((resolve, reject) => {
        let err = '';
        host.stderr.on('data', (c: Buffer) => {
          err += c.toString();
          if (/epoch 1\/5000/.test(err)) resolve();
        });
        host.on('exit', (code) => reject(new Error(`train exited ${code}: ${err}`)));
      });
      const kids = childrenOf(host.pid!);
      expect(kids).toHaveLength(1);
      trainer = kids[0]!;
      process.kill(host.pid!, 'SIGKILL');

      // A batch of 16 rows takes well under a millisecond; 10 s is a bound on the wait, not a speed goal.
      const until = Date.now() + 10_000;
      while (running(trainer) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(running(trainer), 'the training process outlived its host').toBe(false);
      const runsDir = path.join(home, 'runs');
      const checkpoints = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((id) => fs.existsSync(path.join(runsDir, id, 'model'))) : [];
      expect(checkpoints).toEqual([]);
    } finally {
      if (trainer !== undefined && running(trainer)) process.kill(trainer, 'SIGKILL');
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    }
  });
});
