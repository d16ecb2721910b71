// Contributor analytics from git: reads the history (readCommitRange / readMergeRecords), the surviving
// lines (countSurvivingLines) and the trailer identities (git check-mailmap), then aggregates them per
// person (aggregateImpact, a pure function of those inputs) into the report the CLI and UI show.
import { availableParallelism } from 'node:os';
import { GitError } from '../git/project-git.js';
import { createBotDetector, type BotOverrides } from './bots.js';
import { CATEGORIES, createCategorizer, type Category, type CategoryOptions } from './categories.js';
import { resolveIdentities, type IdentityOverrides, type IdentitySighting, type Person } from './identities.js';
import { countCommits, readCommitRange, readMergeRecords, resolveCommit, type CommitRecord, type HistoryRange } from './read-commit-stats.js';
import { cancelledError, readGit } from './run-git.js';
import { defaultConcurrency } from './run-pool.js';
import { resolveWeights, scoreContributors, type ImpactWeights, type ScoreComponents } from './score.js';
import { countSurvivingLines, type SurvivingLines } from './surviving-lines.js';
import { mailmapQuery, parseContact, type Contact } from './trailers.js';

export interface CategoryStats {
  commits: number;
  linesAdded: number;
  linesDeleted: number;
}

export interface ContributorImpact {
  name: string;
  email: string;
  emails: string[];
  /** Non-merge commits authored (equals `git shortlog -sn --no-merges` for the person's identities). */
  commits: number;
  merges: number;
  linesAdded: number;
  linesDeleted: number;
  /** Lines at the analysed commit that blame gives to the person; null when the blame pass was skipped. */
  survivingLines: number | null;
  categories: Record<Category, CategoryStats>;
  /** Commits where the person is named in Co-authored-by (not as the author). */
  coAuthored: number;
  /** Reviewed-by, Acked-by, Tested-by, and Signed-off-by on another person's commit. */
  reviewed: number;
  bot: boolean;
  score: number;
  share: number;
  /** The score's parts before weighting: score = α·g + β·d + γ·pq (README.md, Score). */
  components: ScoreComponents;
  /** Distinct paths changed by the person's commits (new path of a rename). */
  filesTouched: number;
  /** Author dates (ISO 8601, author's offset) of the first and last commit or merge; null if none. */
  firstCommit: string | null;
  lastCommit: string | null;
  /** Distinct calendar days (in the author's time zone) with a commit or merge. */
  activeDays: number;
  /** Non-merge commits and their lines per calendar month ("2026-01", author's offset), oldest first; only months with commits. */
  activity: MonthActivity[];
  /** The (at most TOP_FILES) paths the person's non-merge commits changed most lines of, ties by path; renames on the new path. */
  topFiles: FileImpact[];
}

export interface MonthActivity {
  /** "YYYY-MM" of the author date in the author's own UTC offset. */
  month: string;
  commits: number;
  linesAdded: number;
  linesDeleted: number;
}

export interface FileImpact {
  path: string;
  /** The person's non-merge commits that changed the path. */
  commits: number;
  linesAdded: number;
  linesDeleted: number;
  category: Category;
}

/** How many paths `topFiles` lists per person. */
export const TOP_FILES = 10;

export interface ImpactReport {
  contributors: ContributorImpact[];
  weights: ImpactWeights;
}

export interface ImpactProgress {
  readonly phase: 'listing' | 'commits' | 'blame' | 'aggregating';
  readonly done: number;
  readonly total: number;
}

/** Options of aggregateImpact: everything that does not need git. */
export interface AggregateOptions {
  readonly weights?: Partial<ImpactWeights>;
  /** Keep automation accounts in the report (marked `bot: true`); default false. */
  readonly includeBots?: boolean;
  readonly categories?: CategoryOptions;
  readonly identities?: IdentityOverrides;
  readonly bots?: BotOverrides;
}

export interface ImpactOptions extends AggregateOptions, HistoryRange {
  /** Run the blame pass for surviving lines; default true. */
  readonly blame?: boolean;
  /**
   * Before the blame pass, write git's commit-graph with changed-path filters into the repository
   * (a cache file, see commit-graph.ts); default true.
   */
  readonly commitGraph?: boolean;
  /** git processes side by side for the log and blame passes; default the CPU count within 2..4. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: ImpactProgress) => void;
  readonly signal?: AbortSignal;
}

export interface ImpactInput {
  /** Non-merge commit records (readCommitRange, or readCommitRecords for chosen shas). */
  readonly commits: readonly CommitRecord[];
  /** Merge records (readMergeRecords or listCommits). */
  readonly merges: readonly CommitRecord[];
  /** Blame totals (countSurvivingLines), or null when not computed. */
  readonly surviving: readonly SurvivingLines[] | null;
  /** Trailer contact as written → identity after .mailmap (resolveTrailerContacts); missing ones are used as written. */
  readonly contacts?: ReadonlyMap<string, Contact>;
}

/**
 * What every analysis settles first: the weights, the git parallelism, and the commit to analyse — or the empty
 * report of a repository without commits (an unknown `rev` is an error).
 */
export async function startAnalysis(
  dir: string,
  options: Pick<ImpactOptions, 'concurrency' | 'weights' | 'rev' | 'signal'>,
): Promise<{ kind: 'empty'; report: ImpactReport } | { kind: 'ready'; head: string; weights: ImpactWeights; concurrency: number }> {
  const concurrency = options.concurrency ?? defaultConcurrency(availableParallelism());
  const weights = resolveWeights(options.weights);
  const head = await resolveCommit(dir, options.rev ?? 'HEAD', options.signal);
  if (head) return { kind: 'ready', head, weights, concurrency };
  if (options.rev !== undefined && options.rev !== 'HEAD') throw new GitError('not-found', `Reading the history: no commit named ${options.rev}`);
  return { kind: 'empty', report: { contributors: [], weights } }; // no commits yet
}

/** Runs every pass on the repository in `dir` and returns the report. */
export async function analyzeContributorImpact(dir: string, options: ImpactOptions = {}): Promise<ImpactReport> {
  const { signal, onProgress } = options;
  const start = await startAnalysis(dir, options);
  if (start.kind === 'empty') return start.report;
  const { head, concurrency } = start;
  const range: HistoryRange = { ...options, rev: head };
  const blame = options.blame !== false;
  onProgress?.({ phase: 'listing', done: 0, total: 1 });
  const [merges, total] = await Promise.all([readMergeRecords(dir, range, signal), countCommits(dir, range, signal)]);
  onProgress?.({ phase: 'commits', done: 0, total });
  let reported = 0;
  const commits = await readCommitRange(dir, range, total, {
    signal,
    concurrency,
    onRecord: (done) => {
      if (done === total || done - reported >= 250) {
        reported = done;
        onProgress?.({ phase: 'commits', done, total });
      }
    },
  });
  const contacts = await resolveTrailerContacts(dir, [...commits, ...merges], signal);
  let surviving: SurvivingLines[] | null = null;
  if (blame) {
    surviving = await countSurvivingLines(dir, head, {
      signal,
      concurrency,
      commitGraph: options.commitGraph,
      onFile: (done, files) => onProgress?.({ phase: 'blame', done, total: files }),
    });
  }
  if (signal?.aborted) throw cancelledError();
  onProgress?.({ phase: 'aggregating', done: 0, total: 1 });
  const report = aggregateImpact({ commits, merges, surviving, contacts }, options);
  onProgress?.({ phase: 'aggregating', done: 1, total: 1 });
  return report;
}

/** Maps every trailer contact through .mailmap with one `git check-mailmap --stdin`. */
export async function resolveTrailerContacts(dir: string, records: readonly CommitRecord[], signal?: AbortSignal): Promise<Map<string, Contact>> {
  const raw = new Set<string>();
  for (const r of records) for (const t of r.trailers) raw.add(t.contact);
  const out = new Map<string, Contact>();
  const queries: { contact: string; parsed: Contact; query: string }[] = [];
  for (const contact of raw) {
    const parsed = parseContact(contact);
    const query = mailmapQuery(parsed);
    out.set(contact, parsed);
    if (query) queries.push({ contact, parsed, query });
  }
  if (queries.length === 0) return out;
  const text = await readGit(dir, ['check-mailmap', '--stdin'], {
    signal,
    stdin: `${queries.map((q) => q.query).join('\n')}\n`,
    context: 'Reading the mailmap',
  }).catch((err: unknown) => {
    if (signal?.aborted) throw err;
    return null; // a contact git cannot parse: keep them all as written
  });
  const lines = text?.split('\n') ?? [];
  if (lines.length < queries.length) return out;
  queries.forEach((q, i) => {
    const mapped = parseContact(lines[i]!);
    out.set(q.contact, { name: mapped.name || q.parsed.name, email: mapped.email || q.parsed.email });
  });
  return out;
}

interface Accumulator {
  readonly person: Person;
  commits: number;
  merges: number;
  linesAdded: number;
  linesDeleted: number;
  surviving: number;
  readonly categories: Record<Category, CategoryStats>;
  coAuthored: number;
  reviewed: number;
  /** Per path (new path of a rename): commits and lines. */
  readonly files: Map<string, { commits: number; linesAdded: number; linesDeleted: number }>;
  /** Per "YYYY-MM": non-merge commits and lines. */
  readonly months: Map<string, { commits: number; linesAdded: number; linesDeleted: number }>;
  first: { ms: number; iso: string } | null;
  last: { ms: number; iso: string } | null;
  readonly days: Set<string>;
  codeCommits: number;
  codeLines: number;
  docCommits: number;
  docLines: number;
}

const CODE_LIKE: ReadonlySet<Category> = new Set(['code', 'tests', 'config']);
const DOC_LIKE: ReadonlySet<Category> = new Set(['docs', 'data']);

/** Aggregates per-commit records into per-person totals and scores. Pure: no git, no I/O. */
export function aggregateImpact(input: ImpactInput, options: AggregateOptions = {}): ImpactReport {
  const weights = resolveWeights(options.weights);
  const categorize = createCategorizer(options.categories);
  const isBot = createBotDetector(options.bots);
  const contactOf = (raw: string): Contact => input.contacts?.get(raw) ?? parseContact(raw);
  const records = [...input.commits, ...input.merges];

  // One sighting per distinct identity (name + email), weighted by authored records.
  const sightings = new Map<string, IdentitySighting & { weight: number }>();
  const sight = (name: string, email: string, weight: number) => {
    const key = `${name}\0${email.toLowerCase()}`;
    const s = sightings.get(key);
    if (s) s.weight += weight;
    else sightings.set(key, { name, email, weight });
  };
  for (const r of records) {
    sight(r.authorName, r.authorEmail, 1);
    for (const t of r.trailers) {
      const c = contactOf(t.contact);
      sight(c.name, c.email, 0.001);
    }
  }
  for (const s of input.surviving ?? []) sight(s.name, s.email, 0);
  const resolver = resolveIdentities(sightings.values(), isBot, options.identities);
  const personCache = new Map<string, Person>();
  const personOf = (name: string, email: string): Person => {
    const key = `${name}\0${email.toLowerCase()}`;
    let p = personCache.get(key);
    if (!p) personCache.set(key, (p = resolver.personOf(name, email)));
    return p;
  };
  const included = (p: Person) => options.includeBots === true || !p.bot;

  const accs = new Map<number, Accumulator>();
  const acc = (p: Person): Accumulator => {
    let a = accs.get(p.id);
    if (!a) {
      a = {
        person: p, commits: 0, merges: 0, linesAdded: 0, linesDeleted: 0, surviving: 0, coAuthored: 0, reviewed: 0,
        categories: Object.fromEntries(CATEGORIES.map((c) => [c, { commits: 0, linesAdded: 0, linesDeleted: 0 }])) as Record<Category, CategoryStats>,
        files: new Map(), months: new Map(), first: null, last: null, days: new Set(), codeCommits: 0, codeLines: 0, docCommits: 0, docLines: 0,
      };
      accs.set(p.id, a);
    }
    return a;
  };

  for (const r of records) {
    const author = personOf(r.authorName, r.authorEmail);
    const a = acc(author);
    if (r.merge) a.merges++;
    else a.commits++;
    const ms = Date.parse(r.authorDate);
    if (Number.isFinite(ms)) {
      if (!a.first || ms < a.first.ms) a.first = { ms, iso: r.authorDate };
      if (!a.last || ms > a.last.ms) a.last = { ms, iso: r.authorDate };
      a.days.add(r.authorDate.slice(0, 10));
    }
    // The month as written in the author's own offset (like activeDays), so no time-zone shift.
    const month = /^\d{4}-\d{2}/.exec(r.authorDate)?.[0];
    let monthStats: { commits: number; linesAdded: number; linesDeleted: number } | undefined;
    if (month && !r.merge) {
      monthStats = a.months.get(month);
      if (!monthStats) a.months.set(month, (monthStats = { commits: 0, linesAdded: 0, linesDeleted: 0 }));
      monthStats.commits++;
    }
    const touched = new Map<Category, { added: number; deleted: number }>();
    for (const f of r.files) {
      const category = categorize(f.path);
      const t = touched.get(category) ?? { added: 0, deleted: 0 };
      t.added += f.added;
      t.deleted += f.deleted;
      touched.set(category, t);
      a.linesAdded += f.added;
      a.linesDeleted += f.deleted;
      let file = a.files.get(f.path);
      if (!file) a.files.set(f.path, (file = { commits: 0, linesAdded: 0, linesDeleted: 0 }));
      file.commits++;
      file.linesAdded += f.added;
      file.linesDeleted += f.deleted;
      if (monthStats) {
        monthStats.linesAdded += f.added;
        monthStats.linesDeleted += f.deleted;
      }
    }
    for (const [category, t] of touched) {
      const c = a.categories[category];
      c.commits++;
      c.linesAdded += t.added;
      c.linesDeleted += t.deleted;
    }

    const coAuthors = new Set<Person>();
    const reviewers = new Set<Person>();
    for (const t of r.trailers) {
      if (t.kind !== 'co-author') continue;
      const contact = contactOf(t.contact);
      const p = personOf(contact.name, contact.email);
      if (p !== author && included(p)) coAuthors.add(p);
    }
    for (const t of r.trailers) {
      if (t.kind === 'co-author') continue;
      const contact = contactOf(t.contact);
      const p = personOf(contact.name, contact.email);
      if (p !== author && !coAuthors.has(p) && included(p)) reviewers.add(p);
    }
    for (const p of coAuthors) acc(p).coAuthored++;
    for (const p of reviewers) acc(p).reviewed++;

    // The commit's credit is shared equally by its author and co-authors.
    const share = 1 / (1 + coAuthors.size);
    let codeLines = 0;
    let docLines = 0;
    let code = false;
    let doc = false;
    for (const [category, t] of touched) {
      if (CODE_LIKE.has(category)) {
        code = true;
        codeLines += t.added + t.deleted;
      } else if (DOC_LIKE.has(category)) {
        doc = true;
        docLines += t.added + t.deleted;
      }
    }
    for (const p of [author, ...coAuthors]) {
      const c = acc(p);
      if (code) c.codeCommits += share;
      if (doc) c.docCommits += share;
      c.codeLines += codeLines * share;
      c.docLines += docLines * share;
    }
  }
  for (const s of input.surviving ?? []) acc(personOf(s.name, s.email)).surviving += s.lines;

  const kept = [...accs.values()].filter(
    (a) => included(a.person) && a.commits + a.merges + a.coAuthored + a.reviewed + a.surviving > 0,
  );
  const scores = scoreContributors(
    kept.map((a) => ({ codeCommits: a.codeCommits, codeLines: a.codeLines, docCommits: a.docCommits, docLines: a.docLines, interactions: a.reviewed + a.coAuthored })),
    weights,
  );
  const contributors: ContributorImpact[] = kept.map((a, i) => ({
    name: a.person.name,
    email: a.person.email,
    emails: [...a.person.emails],
    commits: a.commits,
    merges: a.merges,
    linesAdded: a.linesAdded,
    linesDeleted: a.linesDeleted,
    survivingLines: input.surviving ? a.surviving : null,
    categories: a.categories,
    coAuthored: a.coAuthored,
    reviewed: a.reviewed,
    bot: a.person.bot,
    score: scores[i]!.score,
    share: scores[i]!.share,
    components: { ...scores[i]!.components },
    filesTouched: a.files.size,
    firstCommit: a.first?.iso ?? null,
    lastCommit: a.last?.iso ?? null,
    activeDays: a.days.size,
    activity: [...a.months]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([month, m]) => ({ month, ...m })),
    topFiles: [...a.files]
      .sort(([px, x], [py, y]) => y.linesAdded + y.linesDeleted - (x.linesAdded + x.linesDeleted) || (px < py ? -1 : px > py ? 1 : 0))
      .slice(0, TOP_FILES)
      .map(([path, f]) => ({ path, ...f, category: categorize(path) })),
  }));
  contributors.sort((x, y) => y.share - x.share || y.commits - x.commits || x.name.localeCompare(y.name) || x.email.localeCompare(y.email));
  return { contributors, weights };
}
