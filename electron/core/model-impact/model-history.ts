// The commits a model-impact analysis walks (first-parent by default, oldest first) with their trees, and who each
// commit credits: the author and the Co-authored-by people, resolved into people exactly as the contributor report
// does (git's .mailmap, identities.ts, bots.ts, the project's overrides). A merge on the walked line credits the
// authors and co-authors of the commits it brings in.
import { createBotDetector, type BotOverrides } from '../impact/bots.js';
import { resolveTrailerContacts } from '../impact/contributor-impact.js';
import { resolveIdentities, type IdentityOverrides, type IdentitySighting, type Person } from '../impact/identities.js';
import { rangeArgs, readCommitHeaders, streamRecords, RECORD_FORMAT, type CommitRecord, type HistoryRange } from '../impact/read-commit-stats.js';
import { readGit } from '../git/project-git.js';
import { parseContact, type Contact } from '../impact/trailers.js';

export interface HistoryCommit {
  readonly sha: string;
  readonly tree: string;
  /** The tree of the first parent; the empty tree for a root commit. */
  readonly parentTree: string;
  readonly parent: string | null;
  readonly merge: boolean;
  readonly author: Person;
  /** Who the commit credits, each once (author first, then co-authors; a merge: the merged commits' people). */
  readonly credit: readonly Person[];
  /** Paths the commit changes against its first parent. */
  readonly changed: readonly string[];
}

export interface ModelHistory {
  /** Oldest first. */
  readonly commits: readonly HistoryCommit[];
  readonly people: readonly Person[];
  /** The tree replays start from: the first commit's parent tree (the empty tree when the range starts at the root). */
  readonly rootTree: string;
}

export interface HistoryOptions extends HistoryRange {
  /** Walk only commits after this one (`base..head`); its tree is the root replays start from. */
  readonly base?: string;
  /** Follow every parent instead of the first-parent line. */
  readonly allParents?: boolean;
  readonly identities?: IdentityOverrides;
  readonly bots?: BotOverrides;
  readonly signal?: AbortSignal;
}

export async function readModelHistory(dir: string, head: string, emptyTree: string, options: HistoryOptions = {}): Promise<ModelHistory> {
  const { signal } = options;
  const walk = [...(options.allParents ? [] : ['--first-parent']), '--reverse', ...rangeArgs(options), '--end-of-options', head, ...(options.base ? [`^${options.base}`] : []), '--'];
  const records: CommitRecord[] = [];
  await streamRecords(dir, ['log', '-z', '--no-color', RECORD_FORMAT, ...walk], (c) => records.push(c), { signal });
  const shape = await readGit(dir, ['log', '--format=%H %T %P', ...walk], { signal, context: 'Reading the history' });
  const changed = new Map<string, string[]>();
  let current: string[] | null = null;
  const names = await readGit(dir, ['log', '-z', '--name-only', '--diff-merges=first-parent', '--no-renames', '--format=%x01%H', ...walk], { signal, context: 'Reading the history' });
  for (const token of names.split('\0')) {
    const t = token.replace(/^\n/, '');
    if (t.startsWith('\x01')) changed.set(t.slice(1).trim(), (current = []));
    else if (t && current) current.push(t);
  }
  const trees = new Map<string, { tree: string; parents: string[] }>();
  for (const line of shape.split('\n')) {
    const [sha, tree, ...parents] = line.trim().split(' ');
    if (sha && tree) trees.set(sha, { tree, parents: parents.filter(Boolean) });
  }
  // A merge credits what it brings in: the commits reachable from its other parents and not from its first.
  const mergedIn = new Map<string, CommitRecord[]>();
  for (const r of records) {
    const parents = trees.get(r.sha)?.parents ?? [];
    if (!r.merge || options.allParents || parents.length < 2) continue;
    const shas = (await readGit(dir, ['rev-list', '--no-merges', ...parents.slice(1), `^${parents[0]}`, '--'], { signal, context: 'Reading the history' }))
      .split('\n')
      .filter(Boolean);
    mergedIn.set(r.sha, await readCommitHeaders(dir, shas, signal));
  }
  const all = [...records, ...[...mergedIn.values()].flat()];
  const contacts = await resolveTrailerContacts(dir, new Set(all.flatMap((r) => r.trailers.filter((t) => t.kind === 'co-author').map((t) => t.contact))), signal);
  const coAuthors = (r: CommitRecord): Contact[] =>
    r.trailers.filter((t) => t.kind === 'co-author').map((t) => contacts.get(t.contact) ?? parseContact(t.contact)).filter((c) => c.name || c.email);
  const sightings: IdentitySighting[] = [];
  for (const r of all) {
    sightings.push({ name: r.authorName, email: r.authorEmail, weight: 1 });
    for (const c of coAuthors(r)) sightings.push({ name: c.name, email: c.email, weight: 0 });
  }
  const resolver = resolveIdentities(sightings, createBotDetector(options.bots), options.identities);
  const creditOf = (rs: readonly CommitRecord[]): Person[] => {
    const out: Person[] = [];
    for (const r of rs) {
      for (const p of [resolver.personOf(r.authorName, r.authorEmail), ...coAuthors(r).map((c) => resolver.personOf(c.name, c.email))]) {
        if (!out.includes(p)) out.push(p);
      }
    }
    return out;
  };
  const commits: HistoryCommit[] = records.map((r) => {
    const shape = trees.get(r.sha);
    if (!shape) throw new Error(`Reading the history: no tree for ${r.sha}`);
    const parent = shape.parents[0] ?? null;
    const merged = mergedIn.get(r.sha);
    const author = resolver.personOf(r.authorName, r.authorEmail);
    return {
      sha: r.sha,
      tree: shape.tree,
      parentTree: parent ? '' : emptyTree,
      parent,
      merge: r.merge,
      author,
      credit: merged && merged.length ? creditOf(merged) : creditOf([r]),
      changed: changed.get(r.sha) ?? [],
    };
  });
  // Parent trees: the previous walked commit's tree on the first-parent line, else asked of git.
  const treeOfSha = new Map(commits.map((c) => [c.sha, c.tree]));
  const unknown = commits.filter((c) => c.parent && !treeOfSha.has(c.parent)).map((c) => c.parent!);
  if (unknown.length) {
    const out = await readGit(dir, ['log', '--no-walk=unsorted', '--stdin', '--format=%H %T'], { signal, stdin: `${[...new Set(unknown)].join('\n')}\n`, context: 'Reading the history' });
    for (const line of out.split('\n')) {
      const [sha, tree] = line.trim().split(' ');
      if (sha && tree) treeOfSha.set(sha, tree);
    }
  }
  const resolved = commits.map((c) => (c.parent ? { ...c, parentTree: treeOfSha.get(c.parent)! } : c));
  return { commits: resolved, people: resolver.people, rootTree: resolved[0]?.parentTree ?? emptyTree };
}
