// Benchmark of cloning a project: builds a 10,000+ commit repository with git fast-import, then times
// `cloneRepository` + reading the whole log (what adding a project does; the log is read while the working
// tree is checked out) against a plain `git clone` of the same repository, both over file:// (or both over
// the loopback smart-HTTP server with --http), best of 3.
// Run: npx tsx bench/clone.ts [--http] [--commits N] [--keep]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloneRepository } from '../electron/core/git/clone-repository.js';
import { readCommits } from '../electron/core/git/read-history.js';
import { startGitHttpServer, type GitHttpServer } from '../electron/core/testing/git-http-server.js';

const args = process.argv.slice(2);
const COMMITS = Number(args[args.indexOf('--commits') + 1]) > 0 && args.includes('--commits') ? Number(args[args.indexOf('--commits') + 1]) : 10_000;
const FILES = 400;
const AUTHORS = 60;
const RUNS = 3;
const OVER_HTTP = args.includes('--http');

function git(cwd: string, gitArgs: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', gitArgs, {
      cwd,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${gitArgs.join(' ')} exited with ${code}: ${stderr}`))));
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** A deterministic fast-import stream: COMMITS commits by AUTHORS people, each editing a few of FILES files. */
function fastImportStream(): string {
  let seed = 42;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const parts: string[] = [];
  const files = new Map<number, string[]>();
  const start = Date.UTC(2020, 0, 1) / 1000;
  for (let c = 1; c <= COMMITS; c++) {
    const who = Math.floor(rand() * AUTHORS);
    const when = start + c * 3600;
    parts.push(`commit refs/heads/main\nmark :${c}\nauthor Person ${who} <p${who}@example.org> ${when} +0000\ncommitter Person ${who} <p${who}@example.org> ${when} +0000\n`);
    const message = `Change ${c}: tune layer ${who % 17}\n`;
    parts.push(`data ${Buffer.byteLength(message)}\n${message}`);
    if (c > 1) parts.push(`from :${c - 1}\n`);
    const edits = 1 + Math.floor(rand() * 3);
    for (let e = 0; e < edits; e++) {
      const f = Math.floor(rand() * FILES);
      const lines = files.get(f) ?? [];
      const at = Math.floor(rand() * (lines.length + 1));
      lines.splice(at, 0, `const value_${c}_${e} = ${Math.floor(rand() * 1e6)}; // by person ${who}`);
      if (lines.length > 120) lines.splice(Math.floor(rand() * lines.length), 1);
      files.set(f, lines);
      const body = lines.join('\n') + '\n';
      parts.push(`M 100644 inline src/module_${f % 20}/file_${f}.ts\ndata ${Buffer.byteLength(body)}\n${body}`);
    }
    parts.push('\n');
  }
  return parts.join('');
}

async function time(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'mc-bench-clone-'));
  let server: GitHttpServer | null = null;
  try {
    const served = join(work, 'served');
    const bare = join(served, 'project.git');
    fs.mkdirSync(served);
    const tBuild = await time(async () => {
      await git(work, ['init', '-q', '--bare', '-b', 'main', bare]);
      await git(bare, ['fast-import', '--quiet'], fastImportStream());
      await git(bare, ['repack', '-a', '-d', '-q']);
    });
    if (OVER_HTTP) server = await startGitHttpServer({ root: served });
    const source = server ? server.url('project.git') : `file://${bare}`;
    console.log(`repository: ${COMMITS} commits, ${FILES} files, built in ${(tBuild / 1000).toFixed(1)} s; cloning over ${OVER_HTTP ? 'smart HTTP (loopback)' : 'file://'}`);

    const ours: number[] = [];
    const oursSequential: number[] = [];
    const oursCloneOnly: number[] = [];
    const plain: number[] = [];
    const plainFsck: number[] = [];
    let commitsRead = 0;
    let commitsReadAfter = 0;
    for (let run = 0; run < RUNS; run++) {
      const a = join(work, `ours-${run}`);
      const b = join(work, `ours-seq-${run}`);
      // What adding a project does: the clone, and the log read while the working tree is checked out.
      ours.push(
        await time(async () => {
          const { commits } = await cloneRepository({ source, destination: a, onProgress: () => undefined, readCommits: 1_000_000_000 });
          commitsRead = commits?.length ?? 0;
        }),
      );
      // The same one after the other: a plain cloneRepository (checkout inside git clone), then readCommits.
      let cloneMs = 0;
      oursSequential.push(
        await time(async () => {
          cloneMs = await time(async () => void (await cloneRepository({ source, destination: b, onProgress: () => undefined })));
          commitsReadAfter = (await readCommits(b, 1_000_000_000)).length;
        }),
      );
      oursCloneOnly.push(cloneMs);
      plain.push(await time(() => git(work, ['clone', '-q', source, join(work, `plain-${run}`)])));
      plainFsck.push(await time(() => git(work, ['-c', 'transfer.fsckObjects=true', 'clone', '-q', source, join(work, `plainfsck-${run}`)])));
      await Promise.all([a, b, join(work, `plain-${run}`), join(work, `plainfsck-${run}`)].map((d) => rm(d, { recursive: true, force: true })));
    }
    if (commitsReadAfter !== COMMITS) throw new Error(`read ${commitsReadAfter} commits after the clone, expected ${COMMITS}`);
    if (commitsRead !== COMMITS) throw new Error(`read ${commitsRead} commits, expected ${COMMITS}`);
    const best = (xs: number[]) => Math.min(...xs);
    const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;
    console.log(`plain git clone                           ${ms(best(plain))}`);
    console.log(`plain git clone -c transfer.fsckObjects   ${ms(best(plainFsck))}`);
    console.log(`cloneRepository (progress, fsck, inert)   ${ms(best(oursCloneOnly))}`);
    console.log(`cloneRepository, then readCommits(all)    ${ms(best(oursSequential))}`);
    console.log(`cloneRepository({ readCommits: all ${COMMITS} })  ${ms(best(ours))}   (checkout and log read side by side)`);
    console.log(`ratio (ours, clone + log index) / plain git clone: ${(best(ours) / best(plain)).toFixed(2)}x  (goal <= 1.10x)`);
    console.log(`ratio (ours) / plain git clone with the same object check: ${(best(ours) / best(plainFsck)).toFixed(2)}x`);
  } finally {
    await server?.close();
    if (!args.includes('--keep')) await rm(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
