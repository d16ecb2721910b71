// Benchmark of the contributor-impact core: builds a 12,000+ commit, 1,000+ author repository with
// git fast-import, then times the full analysis without blame against one plain
// `git log --numstat --no-merges` — as fast-import packed it (every blob whole), repacked with deltas (what
// a clone from a server gets), and on a second history whose diff work sits at its old end — the blame pass
// against `git blame -w` on every file with the same parallelism, and the cached re-analysis (analyzeWithCache)
// after one new commit.
// Run: npx tsx bench/impact.ts [--keep] [--build-only] [--incremental-only | --history-only]
// (or on a kept repository: npx tsx bench/impact.ts --measure <dir> [--incremental-only | --history-only])
// On a real clone (its commit-graph is removed before each timed run, as a fresh clone has none; the clone is
// otherwise only read): npx tsx bench/impact.ts --repo <clone> [--runs N] [--history-only | --blame-only]
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, rm, unlink } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeWithCache, type CacheStats } from '../electron/core/impact/cached-impact.js';
import { analyzeContributorImpact } from '../electron/core/impact/contributor-impact.js';
import { openDatabase } from '../electron/core/store/database.js';
import { ProjectsRepository } from '../electron/core/store/projects-repository.js';
import { listBlameFiles } from '../electron/core/impact/surviving-lines.js';
import { countSurvivingLines } from '../electron/core/testing/count-surviving-lines.js';
import { defaultConcurrency, runPool } from '../electron/core/impact/run-pool.js';
import { mulberry32 } from '../electron/core/training/portable/seeded-random.js';

const COMMITS = 12_000;
const AUTHORS = 1_000;
const FILES = 300;
const MERGES = 250;
let RUNS = 3;

const random = mulberry32;

function git(dir: string, args: string[], input?: AsyncIterable<Buffer>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: dir, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout!.on('data', (b: Buffer) => (bytes += b.length));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(bytes) : reject(new Error(`git ${args[0]} exited with ${code}`))));
    if (input) {
      const stdin = child.stdin!;
      void (async () => {
        for await (const chunk of input) if (!stdin.write(chunk)) await new Promise((r) => stdin.once('drain', r));
        stdin.end();
      })().catch(reject);
    }
  });
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'Tim', 'Hedy', 'Guido', 'Anita', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman', 'Lee', 'Lamarr', 'Rossum', 'Borg', 'Abbott'];

/** The fast-import stream of the synthetic history. */
async function* history(): AsyncGenerator<Buffer> {
  const rnd = random(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const authors = Array.from({ length: AUTHORS }, (_, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`;
    return { name, email: `${name.toLowerCase().replace(/ /g, '.')}@contributors.dev` };
  });
  // A few people do most of the work: author i is picked with weight ~ 1/(i+1).
  const weights = authors.map((_, i) => 1 / (i + 1));
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const totalWeight = cumulative[cumulative.length - 1]!;
  const someone = (serial: number) => {
    if (serial < AUTHORS) return authors[serial]!; // everyone commits at least once
    const x = rnd() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return authors[lo]!;
  };
  const bot = { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' };
  const kinds = ['src/model_%.py', 'src/layers/layer_%.ts', 'docs/guide_%.md', 'data/table_%.csv', 'tests/test_%.py', 'config/settings_%.yaml'];
  const files = new Map<string, string[]>();
  const word = () => pick(['alpha', 'beta', 'gamma', 'delta', 'tensor', 'layer', 'weight', 'train', 'epoch', 'loss', 'grad', 'batch']);
  const line = () => `${word()} = ${word()}(${Math.floor(rnd() * 1000)}, ${word()}) # ${Math.floor(rnd() * 1e6)}`;
  const newFile = (path: string) => files.set(path, Array.from({ length: 40 + Math.floor(rnd() * 80) }, line));
  for (let i = 0; i < FILES; i++) newFile(kinds[i % kinds.length]!.replace('%', String(i)));
  newFile('requirements.txt');
  let fileSerial = FILES;
  let mark = 0;
  let time = Date.UTC(2018, 0, 1) / 1000;
  const enc = (s: string) => Buffer.from(s, 'utf8');
  const data = (content: Buffer) => Buffer.concat([enc(`data ${content.length}\n`), content, enc('\n')]);
  const blob = (path: string, content: Buffer) => Buffer.concat([enc(`M 100644 inline ${path}\n`), data(content)]);
  const text = (path: string) => enc(`${files.get(path)!.join('\n')}\n`);

  const commit = (ref: string, who: { name: string; email: string }, message: string, body: Buffer[], merge?: number) => {
    time += 600 + Math.floor(rnd() * 6000);
    mark++;
    const head = `commit ${ref}\nmark :${mark}\nauthor ${who.name} <${who.email}> ${time} +0000\ncommitter ${who.name} <${who.email}> ${time} +0000\n`;
    return Buffer.concat([enc(head), data(enc(message)), ...(merge ? [enc(`merge :${merge}\n`)] : []), ...body, enc('\n')]);
  };
  const edit = (path: string) => {
    const lines = files.get(path)!;
    const n = 1 + Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) {
      const at = Math.floor(rnd() * lines.length);
      const op = rnd();
      if (op < 0.5) lines[at] = line();
      else if (op < 0.8 || lines.length < 10) lines.splice(at, 0, line());
      else lines.splice(at, 1);
    }
  };
  const work = (serial: number, ref: string, editsOnly = false) => {
    const who = serial % 40 === 39 ? bot : someone(serial);
    const body: Buffer[] = [];
    let message = `Change ${serial}`;
    if (who === bot) {
      edit('requirements.txt');
      body.push(blob('requirements.txt', text('requirements.txt')));
    } else {
      const r = rnd();
      if (editsOnly) {
        const p = pick([...files.keys()].filter((x) => x !== 'requirements.txt'));
        edit(p);
        body.push(blob(p, text(p)));
      } else if (r < 0.01) {
        const paths = [...files.keys()].filter((p) => p !== 'requirements.txt');
        const from = pick(paths);
        const to = from.replace(/(\.\w+)$/, `_v${serial}$1`);
        files.set(to, files.get(from)!);
        files.delete(from);
        body.push(enc(`R ${from} ${to}\n`));
        if (rnd() < 0.5) {
          edit(to);
          body.push(blob(to, text(to)));
        }
      } else if (r < 0.02) {
        const path = `models/weights_${serial}.bin`;
        const bytes = Buffer.alloc(2048);
        for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(rnd() * 256);
        body.push(blob(path, bytes));
      } else if (r < 0.04) {
        const path = kinds[serial % kinds.length]!.replace('%', String(fileSerial++));
        newFile(path);
        body.push(blob(path, text(path)));
      } else {
        const paths = [...files.keys()];
        const touched = new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(paths)));
        for (const p of touched) {
          edit(p);
          body.push(blob(p, text(p)));
        }
      }
      const t = rnd();
      const other = someone(AUTHORS + serial);
      if (t < 0.05) message += `\n\nCo-authored-by: ${other.name} <${other.email}>`;
      else if (t < 0.15) message += `\n\nReviewed-by: ${other.name} <${other.email}>`;
      else if (t < 0.2) message += `\n\nSigned-off-by: ${who.name} <${who.email}>`;
    }
    return commit(ref, who, `${message}\n`, body);
  };

  const mailmap = enc(`${authors[1]!.name} <${authors[1]!.email}> <old.address@contributors.dev>\n`);
  yield commit('refs/heads/main', authors[0]!, 'Initial\n', [...[...files.keys()].map((p) => blob(p, text(p))), blob('.mailmap', mailmap)]);
  let serial = 0;
  const mergeEvery = Math.floor(COMMITS / MERGES);
  while (serial < COMMITS) {
    if (serial % mergeEvery === mergeEvery - 1) {
      // A side branch of three commits merged with a merge commit (no fast-forward).
      const base = mark;
      yield enc(`reset refs/heads/side\nfrom :${base}\n\n`);
      const touched = new Set<string>();
      for (let k = 0; k < 3 && serial < COMMITS; k++) {
        const c = work(serial++, 'refs/heads/side', true);
        for (const m of c.toString('latin1').matchAll(/^M 100644 inline (.*)$/gm)) touched.add(m[1]!);
        yield c;
      }
      const side = mark;
      const paths = [...touched];
      const merger = someone(0);
      const body = paths.map((p) => blob(p, text(p)));
      // The merge takes the side branch's tree: side commits only edit, and their edits are in `files` already.
      yield Buffer.concat([enc(`reset refs/heads/main\nfrom :${base}\n\n`), commit('refs/heads/main', merger, `Merge branch side\n`, body, side)]);
    } else yield work(serial++, 'refs/heads/main');
  }
}

/** A new repository in a temp folder with `stream` fast-imported and main checked out. */
async function importRepository(prefix: string, stream: AsyncIterable<Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['fast-import', '--quiet'], stream);
  await git(dir, ['reset', '-q', '--hard', 'main']);
  return dir;
}

const buildRepository = () => importRepository('mc-impact-bench-', history());

/**
 * A history whose diff work is all at its old end: 4,000 commits, the oldest 600 each rewriting 300 lines of
 * one of five 3,000-line files, the newer 3,400 one line of a small file. Cutting it by commit count gives one
 * git process nearly all the work; readers coming from both ends meet wherever the work splits evenly.
 */
async function* unevenHistory(): AsyncGenerator<Buffer> {
  const rnd = random(7);
  const big = Array.from({ length: 5 }, (_, f) => Array.from({ length: 3000 }, (_, i) => `row ${f} ${i} ${Math.floor(rnd() * 1e9)}`));
  let time = Date.UTC(2020, 0, 1) / 1000;
  for (let i = 0; i < 4000; i++) {
    time += 600;
    let path: string;
    let body: string;
    if (i < 600) {
      const file = big[i % 5]!;
      for (let k = 0; k < 300; k++) file[Math.floor(rnd() * file.length)] = `edit ${i} ${Math.floor(rnd() * 1e9)}`;
      path = `data/big_${i % 5}.csv`;
      body = `${file.join('\n')}\n`;
    } else {
      path = `src/small_${i % 50}.py`;
      body = `value = ${i}\n`;
    }
    const who = `Person ${i % 40} <person.${i % 40}@contributors.dev>`;
    const message = `Change ${i}\n`;
    yield Buffer.from(
      `commit refs/heads/main\nauthor ${who} ${time} +0000\ncommitter ${who} ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}` +
        `M 100644 inline ${path}\ndata ${Buffer.byteLength(body)}\n${body}\n`,
    );
  }
}


/** A copy of the repository packed as a server packs a clone: blobs stored as deltas of each other. */
async function repackedCopy(dir: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'mc-impact-bench-packed-'));
  await git(copy, ['clone', '-q', '--no-local', '--no-checkout', dir, '.']);
  await git(copy, ['repack', '-adfq']);
  await git(copy, ['checkout', '-q', 'main']);
  return copy;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** A contender is timed as a whole, or times itself (when it has work around the timed part) and returns the ms. */
type Contender = (() => Promise<unknown>) | { readonly timesItself: () => Promise<number> };

/** Medians of RUNS timings of each contender, runs interleaved (after one warm-up each) so that load on the machine hits both. */
async function medians(contenders: readonly Contender[]): Promise<number[]> {
  const once = async (c: Contender) => (typeof c === 'function' ? (await time(c)).ms : c.timesItself());
  for (const c of contenders) await once(c);
  const runs = contenders.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) for (const [k, c] of contenders.entries()) runs[k]!.push(await once(c));
  return runs.map((r) => r.sort((a, b) => a - b)[Math.floor(r.length / 2)]!);
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * What the app does on a project's first analysis without blame: analyzeWithCache on an empty store, which
 * writes every record to the store too. Only the analysis is timed (the store is opened before, removed after).
 */
async function firstAnalysisInApp(dir: string): Promise<number> {
  const storeDir = await mkdtemp(join(tmpdir(), 'mc-impact-bench-store-'));
  const db = openDatabase(join(storeDir, 'store.db'));
  try {
    new ProjectsRepository(db).insert({ id: 'bench', name: 'bench', source: dir, path: dir, status: 'ready', error: null }, process.pid);
    return (await time(() => analyzeWithCache(db, 'bench', dir, { blame: false }))).ms;
  } finally {
    db.close();
    await rm(storeDir, { recursive: true, force: true });
  }
}

/**
 * The cached analysis (store in a temp folder): a first full run, then RUNS times one new commit (a
 * few changed lines in the biggest file) followed by a timed re-analysis with blame.
 */
async function measureIncremental(dir: string): Promise<void> {
  const storeDir = await mkdtemp(join(tmpdir(), 'mc-impact-bench-store-'));
  const db = openDatabase(join(storeDir, 'store.db'));
  try {
    new ProjectsRepository(db).insert({ id: 'bench', name: 'bench', source: dir, path: dir, status: 'ready', error: null }, process.pid);
    let stats: CacheStats | null = null;
    const onCacheStats = (s: CacheStats) => (stats = s);
    const first = await time(() => analyzeWithCache(db, 'bench', dir, { onCacheStats }));
    console.log(`Cached   first analysis with blame, empty store                 : ${fmt(first.ms)}   (${JSON.stringify(stats)})`);
    const again = await time(() => analyzeWithCache(db, 'bench', dir, { onCacheStats }));
    console.log(`         re-analysis, nothing new                                 : ${fmt(again.ms)}`);
    const [biggest] = (await listBlameFiles(dir, 'HEAD')).sort((a, b) => b.lines - a.lines);
    const timings: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await appendFile(join(dir, biggest!.path), `tensor = layer(${i}, grad) # new\n`);
      await git(dir, ['-c', 'user.name=Bench Person', '-c', 'user.email=bench@contributors.dev', 'commit', '-qam', `New commit ${i}`]);
      timings.push((await time(() => analyzeWithCache(db, 'bench', dir, { onCacheStats }))).ms);
    }
    const median = timings.sort((a, b) => a - b)[Math.floor(timings.length / 2)]!;
    console.log(`         re-analysis after 1 new commit (median of ${RUNS})              : ${fmt(median)}   (goal ≤ 0.50 s; ${JSON.stringify(stats)})`);
  } finally {
    db.close();
    await rm(storeDir, { recursive: true, force: true });
  }
}

/** Measures in a fresh process, so that the heap left by building the history does not slow the analysis. */
async function measure(dir: string, incrementalOnly: boolean, historyOnly: boolean): Promise<void> {
  if (incrementalOnly) return measureIncremental(dir);
  const concurrency = defaultConcurrency(availableParallelism());
  const report = await analyzeContributorImpact(dir, { blame: false });
  const commits = report.contributors.reduce((s, c) => s + c.commits, 0);
  const merges = report.contributors.reduce((s, c) => s + c.merges, 0);
  console.log(`  ${report.contributors.length} contributors, ${commits} non-merge commits (bots left out), ${merges} merges`);
  console.log(`  concurrency ${concurrency} on ${availableParallelism()} CPUs; medians of ${RUNS} interleaved runs after a warm-up\n`);

  const packed = await repackedCopy(dir);
  try {
    for (const [label, repo] of [['as fast-import packed it (blobs whole)', dir], ['repacked with deltas (as a clone gets)', packed]] as const) {
      const [gitLog, core, app] = await medians([
        () => git(repo, ['log', '--numstat', '--no-merges', 'HEAD']),
        () => analyzeContributorImpact(repo, { blame: false }),
        { timesItself: () => firstAnalysisInApp(repo) },
      ]);
      console.log(`History, ${label}`);
      console.log(`         git log --numstat --no-merges                     : ${fmt(gitLog!)}`);
      console.log(`         analysis without blame (analyzeContributorImpact) : ${fmt(core!)}   ratio ours/git = ${(core! / gitLog!).toFixed(2)}× (goal ≤ 0.5×)`);
      console.log(`         the app's first analysis, empty store, no blame   : ${fmt(app!)}   ratio ours/git = ${(app! / gitLog!).toFixed(2)}× (goal ≤ 0.5×)\n`);
    }
  } finally {
    await rm(packed, { recursive: true, force: true });
  }
  const uneven = await importRepository('mc-impact-bench-uneven-', unevenHistory());
  try {
    const [gitLog, core] = await medians([() => git(uneven, ['log', '--numstat', '--no-merges', 'HEAD']), () => analyzeContributorImpact(uneven, { blame: false })]);
    console.log(`History, 4,000 commits with the diff work in the oldest 600 (no goal; shows the split of the work)`);
    console.log(`         git log --numstat --no-merges                     : ${fmt(gitLog!)}`);
    console.log(`         analysis without blame (analyzeContributorImpact) : ${fmt(core!)}   ratio ours/git = ${(core! / gitLog!).toFixed(2)}×\n`);
  } finally {
    await rm(uneven, { recursive: true, force: true });
  }
  if (historyOnly) return;

  // A fresh clone has no commit-graph; ours writes one (with changed-path filters) as part of its pass.
  const graph = join(dir, '.git', 'objects', 'info', 'commit-graph');
  const noGraph = () => unlink(graph).catch(() => undefined);
  const targets = await listBlameFiles(dir, 'HEAD');
  const gitBlame = () => runPool(targets, concurrency, (t) => git(dir, ['blame', '-w', 'HEAD', '--', t.path]));
  const [plainBlame, ourBlame, graphBlame] = await medians([
    async () => {
      await noGraph();
      await gitBlame();
    },
    async () => {
      await noGraph();
      await countSurvivingLines(dir, 'HEAD', { concurrency });
    },
    gitBlame, // the commit-graph ours left behind is there
  ]);
  console.log(`Blame    git blame -w on ${targets.length} files, ${concurrency} at a time (no commit-graph, as cloned) : ${fmt(plainBlame!)}`);
  console.log(`         our blame pass, writing the commit-graph first                   : ${fmt(ourBlame!)}   ratio ours/git = ${(ourBlame! / plainBlame!).toFixed(2)}× (goal ≤ 1.0×)`);
  console.log(`         git blame -w with that commit-graph in place (for reference)     : ${fmt(graphBlame!)}   ratio ours/that = ${(ourBlame! / graphBlame!).toFixed(2)}×\n`);
  await measureIncremental(dir);
}

/** Removes the repository's commit-graph (a single file, or a chain under commit-graphs/), as a fresh clone has none. */
async function removeCommitGraph(dir: string): Promise<void> {
  const objects = join(dir, '.git', 'objects', 'info');
  await rm(join(objects, 'commit-graph'), { force: true });
  await rm(join(objects, 'commit-graphs'), { recursive: true, force: true });
}

/**
 * A real clone: the first analysis without blame against one `git log --numstat --no-merges`, and with blame
 * against `git log --numstat` followed by `git blame -w` of every text file with the same parallelism — each
 * without a commit-graph, as cloned. Both analyses as the app runs them: analyzeWithCache on an empty store.
 */
async function measureRepo(dir: string, historyOnly: boolean, blameOnly: boolean): Promise<void> {
  const concurrency = defaultConcurrency(availableParallelism());
  const files = await listBlameFiles(dir, 'HEAD');
  console.log(`Real history at ${dir}: ${files.length} text files at HEAD; concurrency ${concurrency} on ${availableParallelism()} CPUs; medians of ${RUNS} interleaved runs after a warm-up\n`);
  const appFirst = (blame: boolean) => ({
    timesItself: async () => {
      await removeCommitGraph(dir);
      const storeDir = await mkdtemp(join(tmpdir(), 'mc-impact-bench-store-'));
      const db = openDatabase(join(storeDir, 'store.db'));
      try {
        new ProjectsRepository(db).insert({ id: 'bench', name: 'bench', source: dir, path: dir, status: 'ready', error: null }, process.pid);
        return (await time(() => analyzeWithCache(db, 'bench', dir, { blame }))).ms;
      } finally {
        db.close();
        await rm(storeDir, { recursive: true, force: true });
      }
    },
  });
  if (!blameOnly) {
    const [gitLog, core, app] = await medians([
      () => git(dir, ['log', '--numstat', '--no-merges', 'HEAD']),
      () => analyzeContributorImpact(dir, { blame: false }),
      appFirst(false),
    ]);
    console.log(`History  git log --numstat --no-merges                          : ${fmt(gitLog!)}`);
    console.log(`         analysis without blame, no store (analyzeContributorImpact) : ${fmt(core!)}   ratio ours/git = ${(core! / gitLog!).toFixed(2)}× (goal ≤ 0.5×)`);
    console.log(`         the app's first analysis, empty store, no blame         : ${fmt(app!)}   ratio ours/git = ${(app! / gitLog!).toFixed(2)}× (goal ≤ 0.5×)\n`);
  }
  if (historyOnly) return;
  const [gitBoth, ours] = await medians([
    {
      timesItself: async () => {
        await removeCommitGraph(dir);
        return (await time(async () => {
          await git(dir, ['log', '--numstat', 'HEAD']);
          await runPool(files, concurrency, (f) => git(dir, ['blame', '-w', 'HEAD', '--', f.path]));
        })).ms;
      },
    },
    appFirst(true),
  ]);
  console.log(`Blame    git log --numstat + git blame -w of ${files.length} files, ${concurrency} at a time : ${fmt(gitBoth!)}`);
  console.log(`         the app's first analysis with blame, empty store         : ${fmt(ours!)}   ratio ours/git = ${(ours! / gitBoth!).toFixed(2)}× (goal ≤ 0.5×)\n`);
}

async function main(): Promise<void> {
  const runsAt = process.argv.indexOf('--runs');
  if (runsAt > 0) RUNS = Number(process.argv[runsAt + 1]);
  const repoAt = process.argv.indexOf('--repo');
  if (repoAt > 0) return measureRepo(process.argv[repoAt + 1]!, process.argv.includes('--history-only'), process.argv.includes('--blame-only'));
  const at = process.argv.indexOf('--measure');
  if (at > 0) return measure(process.argv[at + 1]!, process.argv.includes('--incremental-only'), process.argv.includes('--history-only'));
  const keep = process.argv.includes('--keep');
  console.log(`Building the repository (${COMMITS} commits, ${MERGES} merges, ${AUTHORS} authors + a bot) …`);
  const built = await time(buildRepository);
  const dir = built.value;
  console.log(`  built in ${fmt(built.ms)} at ${dir}`);
  if (process.argv.includes('--build-only')) return;
  try {
    const extra = ['--incremental-only', '--history-only'].filter((flag) => process.argv.includes(flag));
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--measure', dir, ...extra], { stdio: 'inherit' });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`the measuring process exited with ${code}`);
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
