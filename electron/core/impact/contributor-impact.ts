// Contributor analytics from git: reads the history (readHistory), the surviving
// lines (countSurvivingLines) and the trailer identities (git check-mailmap), then aggregates them per
// person (aggregateImpact, a pure function of those inputs) into the report the CLI and UI show.
import { availableParallelism } from 'node:os';
import { GitError } from '../git/project-git.js';
import { createBotDetector, type BotOverrides } from './bots.js';
import { CATEGORIES, createCategorizer, type Category, type CategoryOptions } from './categories.js';
import { resolveIdentities, type IdentityOverrides, type IdentitySighting, type Person } from './identities.js';
import { readHistory, resolveCommit, type CommitRecord, type HistoryRange } from './read-commit-stats.js';
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
  // The records are counted (merges included) while the first slice is read already; progress starts once the count is known.
  let total = -1;
  let reported = 0;
  let read = 0;
  const { commits, merges } = await readHistory(dir, range, {
    signal,
    concurrency,
    onTotal: (n) => {
      total = n;
      onProgress?.({ phase: 'commits', done: read, total });
    },
    onRecord: (done) => {
      read = done;
      if (total >= 0 && (done === total || done - reported >= 250)) {
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

/** One distinct identity as written (name + email), and the person it resolves to. */
interface Sighting extends IdentitySighting {
  weight: number;
  person: Person | null;
}

/** True when `date` starts with "YYYY-MM" (what `/^\d{4}-\d{2}/` tests, without a RegExp per record). */
function hasMonth(date: string): boolean {
  if (date.length < 7 || date.charCodeAt(4) !== 45) return false; // '-'
  for (const i of [0, 1, 2, 3, 5, 6]) {
    const c = date.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The (at most TOP_FILES) paths with the most lines changed, ties by path: a sort's first entries, without sorting them all. */
function topFilesOf(files: Map<string, { commits: number; linesAdded: number; linesDeleted: number }>): [string, { commits: number; linesAdded: number; linesDeleted: number }][] {
  type Entry = [string, { commits: number; linesAdded: number; linesDeleted: number }];
  const before = ([px, x]: Entry, [py, y]: Entry) => {
    const d = y.linesAdded + y.linesDeleted - (x.linesAdded + x.linesDeleted);
    return d !== 0 ? d < 0 : px < py;
  };
  const top: Entry[] = [];
  for (const entry of files) {
    if (top.length === TOP_FILES && !before(entry, top[TOP_FILES - 1]!)) continue;
    let at = top.length === TOP_FILES ? TOP_FILES - 1 : top.length;
    while (at > 0 && before(entry, top[at - 1]!)) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = entry;
    if (top.length > TOP_FILES) top.length = TOP_FILES;
  }
  return top;
}

/** Aggregates per-commit records into per-person totals and scores. Pure: no git, no I/O. */
export function aggregateImpact(input: ImpactInput, options: AggregateOptions = {}): ImpactReport {
  const weights = resolveWeights(options.weights);
  const categorize = createCategorizer(options.categories);
  const isBot = createBotDetector(options.bots);
  const contactOf = (raw: string): Contact => input.contacts?.get(raw) ?? parseContact(raw);
  const records = [...input.commits, ...input.merges];

  // One sighting per distinct identity (name + lower-case email), weighted by authored records. Looked up by
  // the name and the email as written, so that the key string is built once per distinct pair, not per record.
  const sightings = new Map<string, Sighting>();
  const byWritten = new Map<string, Map<string, Sighting>>();
  const sightingOf = (name: string, email: string): Sighting => {
    let emails = byWritten.get(name);
    if (!emails) byWritten.set(name, (emails = new Map()));
    let s = emails.get(email);
    if (!s) {
      const key = `${name}\0${email.toLowerCase()}`;
      s = sightings.get(key);
      if (!s) sightings.set(key, (s = { name, email, weight: 0, person: null }));
      emails.set(email, s);
    }
    return s;
  };
  const authors: Sighting[] = new Array<Sighting>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    (authors[i] = sightingOf(r.authorName, r.authorEmail)).weight += 1;
    for (const t of r.trailers) {
      const c = contactOf(t.contact);
      sightingOf(c.name, c.email).weight += 0.001;
    }
  }
  for (const s of input.surviving ?? []) sightingOf(s.name, s.email);
  const resolver = resolveIdentities(sightings.values(), isBot, options.identities);
  const personOf = (name: string, email: string): Person => {
    const s = sightingOf(name, email);
    return s.person ?? (s.person = resolver.personOf(s.name, s.email));
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

  // Lines added and deleted per category in the current record (CATEGORIES order); all integers, so the order of the sums does not matter.
  const touchedAdded = new Array<number>(CATEGORIES.length).fill(0);
  const touchedDeleted = new Array<number>(CATEGORIES.length).fill(0);
  const touched = new Array<boolean>(CATEGORIES.length).fill(false);
  const categoryIndex = new Map<Category, number>(CATEGORIES.map((c, i) => [c, i]));
  const codeLike = CATEGORIES.map((c) => CODE_LIKE.has(c));
  const docLike = CATEGORIES.map((c) => DOC_LIKE.has(c));
  const noPeople: ReadonlySet<Person> = new Set();

  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const s = authors[i]!;
    const author = s.person ?? (s.person = resolver.personOf(s.name, s.email));
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
    let monthStats: { commits: number; linesAdded: number; linesDeleted: number } | undefined;
    if (!r.merge && hasMonth(r.authorDate)) {
      const month = r.authorDate.slice(0, 7);
      monthStats = a.months.get(month);
      if (!monthStats) a.months.set(month, (monthStats = { commits: 0, linesAdded: 0, linesDeleted: 0 }));
      monthStats.commits++;
    }
    touched.fill(false);
    for (const f of r.files) {
      const k = categoryIndex.get(categorize(f.path))!;
      if (!touched[k]) {
        touched[k] = true;
        touchedAdded[k] = 0;
        touchedDeleted[k] = 0;
      }
      touchedAdded[k] = touchedAdded[k]! + f.added;
      touchedDeleted[k] = touchedDeleted[k]! + f.deleted;
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
    let codeLines = 0;
    let docLines = 0;
    let code = false;
    let doc = false;
    for (let k = 0; k < CATEGORIES.length; k++) {
      if (!touched[k]) continue;
      const c = a.categories[CATEGORIES[k]!];
      c.commits++;
      c.linesAdded += touchedAdded[k]!;
      c.linesDeleted += touchedDeleted[k]!;
      if (codeLike[k]) {
        code = true;
        codeLines += touchedAdded[k]! + touchedDeleted[k]!;
      } else if (docLike[k]) {
        doc = true;
        docLines += touchedAdded[k]! + touchedDeleted[k]!;
      }
    }

    let coAuthors = noPeople;
    if (r.trailers.length > 0) {
      const co = new Set<Person>();
      const reviewers = new Set<Person>();
      for (const t of r.trailers) {
        if (t.kind !== 'co-author') continue;
        const contact = contactOf(t.contact);
        const p = personOf(contact.name, contact.email);
        if (p !== author && included(p)) co.add(p);
      }
      for (const t of r.trailers) {
        if (t.kind === 'co-author') continue;
        const contact = contactOf(t.contact);
        const p = personOf(contact.name, contact.email);
        if (p !== author && !co.has(p) && included(p)) reviewers.add(p);
      }
      for (const p of co) acc(p).coAuthored++;
      for (const p of reviewers) acc(p).reviewed++;
      coAuthors = co;
    }

    // The commit's credit is shared equally by its author and co-authors.
    const share = 1 / (1 + coAuthors.size);
    if (code) a.codeCommits += share;
    if (doc) a.docCommits += share;
    a.codeLines += codeLines * share;
    a.docLines += docLines * share;
    for (const p of coAuthors) {
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
    topFiles: topFilesOf(a.files).map(([path, f]) => ({ path, ...f, category: categorize(path) })),
  }));
  contributors.sort((x, y) => y.share - x.share || y.commits - x.commits || x.name.localeCompare(y.name) || x.email.localeCompare(y.email));
  return { contributors, weights };
}
