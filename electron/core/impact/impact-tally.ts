// Folds commit records into per-identity totals as they are read, in any order (the history is read in
// slices side by side), and turns the totals into the report once everything is in: identities resolved,
// co-author credit split, scores. The report depends only on the records and their positions in git log
// order, never on the order they arrived in. aggregateImpact is the same for records already in memory.
import type { Interaction, InteractionMonth } from '../../../shared/forge.js';
import { loginEmail, type ForgePerson } from '../forge/forge-person.js';
import { createBotDetector, type BotOverrides } from './bots.js';
import { CATEGORIES, createCategorizer, type Categorizer, type Category, type CategoryOptions } from './categories.js';
import { identityKey, resolveIdentities, type IdentityOverrides, type Person } from './identities.js';
import type { CommitRecord } from './read-commit-stats.js';
import { resolveWeights, scoreContributors, type CategoryAmounts, type ImpactWeights, type ScoreComponents } from './score.js';
import type { SurvivingLines } from './surviving-lines.js';
import type { BlobSpec } from './blob-sizes.js';
import { parseContact, type Contact, type CreditTrailer } from './trailers.js';

export interface CategoryStats {
  commits: number;
  /** Lines of text files (for data tables — CSV, TSV, JSONL — these are rows). */
  linesAdded: number;
  linesDeleted: number;
  /** Binary files changed (images, model weights, archives), which git counts no lines for. */
  files: number;
  /** Bytes of the binary files as the commits left them (`git cat-file --batch-check` sizes; deletions add none). */
  bytes: number;
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
  /** Issues, answers and reviews on the connected forge (README.md, PQ); zeros without one. */
  interaction: Interaction;
  /** The same per UTC month, oldest first, only months with any (every login of the person summed). */
  interactionActivity: InteractionMonth[];
  /** The person's forge logins, sorted. */
  logins: string[];
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

/** Options of aggregateImpact: everything that does not need git. */
export interface AggregateOptions {
  readonly weights?: Partial<ImpactWeights>;
  /** Keep automation accounts in the report (marked `bot: true`); default false. */
  readonly includeBots?: boolean;
  readonly categories?: CategoryOptions;
  readonly identities?: IdentityOverrides;
  readonly bots?: BotOverrides;
  /** People on the project's forge (forge sync): linked to git identities by their commits, or listed by login. */
  readonly forge?: readonly ForgePerson[];
}

export interface ImpactInput {
  /** Non-merge commit records (streamHistory, or readCommitRecords for chosen shas). */
  readonly commits: readonly CommitRecord[];
  /** Merge records (streamHistory, or readCommitHeaders for chosen shas). */
  readonly merges: readonly CommitRecord[];
  /** Blame totals (countSurvivingLines), or null when not computed. */
  readonly surviving: readonly SurvivingLines[] | null;
  /** Trailer contact as written → identity after .mailmap (resolveTrailerContacts); missing ones are used as written. */
  readonly contacts?: ReadonlyMap<string, Contact>;
  /** Sizes of the blobs at binary paths (readBlobSizes of the records' `sha:path`); without them binary files add no bytes. */
  readonly blobSizes?: ReadonlyMap<BlobSpec, number>;
}

/**
 * Commits and lines per key (a path id, a month) for many owners, in three shared arrays of numbers: an owner
 * holds a Map from key to slot, so an entry costs no object of its own (the tally makes tens of thousands).
 */
class LineTable {
  readonly commits: number[] = [];
  readonly added: number[] = [];
  readonly deleted: number[] = [];

  /** The slot of `key` in `index`, made (zeroed) when missing. */
  slot(index: Map<number, number>, key: number): number {
    let at = index.get(key);
    if (at === undefined) {
      at = this.commits.length;
      this.commits.push(0);
      this.added.push(0);
      this.deleted.push(0);
      index.set(key, at);
    }
    return at;
  }

  add(at: number, commits: number, added: number, deleted: number): void {
    this.commits[at]! += commits;
    this.added[at]! += added;
    this.deleted[at]! += deleted;
  }

  /** Adds every entry of `from` into `into`. */
  merge(into: Map<number, number>, from: ReadonlyMap<number, number>): void {
    for (const [key, at] of from) this.add(this.slot(into, key), this.commits[at]!, this.added[at]!, this.deleted[at]!);
  }

  stats(at: number): Omit<CategoryStats, 'files' | 'bytes'> {
    return { commits: this.commits[at]!, linesAdded: this.added[at]!, linesDeleted: this.deleted[at]! };
  }
}

/** What is summed per identity as written, and then per person. */
interface Totals {
  commits: number;
  merges: number;
  linesAdded: number;
  linesDeleted: number;
  /** Per category (CATEGORIES order): commits, lines added, lines deleted. */
  readonly categories: number[];
  /** Path id → slot in the tally's file table; "YYYY-MM" as YYYYMM → slot in its month table. */
  files: Map<number, number>;
  months: Map<number, number>;
  /** Calendar days as YYYYMMDD (the date text itself if it is not ISO). */
  days: Set<number | string>;
  firstMs: number;
  firstIso: string | null;
  lastMs: number;
  lastIso: string | null;
  /** Binary files changed, and their bytes, per category (CATEGORIES order). */
  readonly binaryFiles: number[];
  readonly binaryBytes: number[];
  /** Score inputs per category (CATEGORIES order, CREDIT_FIELDS each): commits, lines, binary files, bytes; co-authored credit split, so fractional for those. */
  readonly credit: number[];
}

/** Totals of one identity as written (name + email): what can be summed before identities are resolved. */
interface SightingTotals extends Totals {
  readonly name: string;
  readonly email: string;
  /** Smallest order key (see orderKey) of a record the identity appears in: decides ties in names and emails. */
  order: number;
  /** Records authored, and trailers naming the identity: its weight when a person's name is chosen. */
  authored: number;
  mentions: number;
}

interface PersonTotals extends Totals {
  readonly person: Person;
  surviving: number;
  coAuthored: number;
  reviewed: number;
  issuesOpened: number;
  answers: number;
  reviews: number;
  reviewComments: number;
  readonly logins: Set<string>;
  /** Forge interaction per "YYYY-MM". */
  readonly interactionMonths: Map<string, InteractionMonth>;
}

/** A record with trailers: its credit is settled once people are known (who co-authored, who reviewed). */
interface CreditedRecord {
  readonly author: SightingTotals;
  readonly order: number;
  readonly trailers: readonly CreditTrailer[];
  /** The record's credit per category: commits (0/1), lines, binary files, bytes (CATEGORIES order). */
  readonly credit: readonly number[];
}

const CATEGORY_INDEX: ReadonlyMap<Category, number> = new Map(CATEGORIES.map((c, i) => [c, i]));
/** Numbers per category in a credit array: commits, lines, binary files, bytes. */
const CREDIT_FIELDS = 4;

/** A binary file a record changed: its bytes go to the record's identity and credit once the blob sizes are read. */
interface BinaryChange {
  readonly spec: BlobSpec;
  readonly sighting: SightingTotals;
  readonly credit: number[];
  readonly category: number;
}

/** What finish takes beside the aggregate options: the blob sizes of `binaryBlobs` (readBlobSizes); without them binary files add no bytes. */
export interface FinishOptions extends AggregateOptions {
  readonly blobSizes?: ReadonlyMap<BlobSpec, number>;
}

/** Order keys: non-merges by log position, then merges by log position (the order aggregateImpact has always used), then blame-only identities. */
const MERGE_BASE = 2 ** 31;
const SURVIVING_BASE = 2 ** 32;
const FORGE_BASE = 2 ** 33;
/** Room for the author (0) and its trailers (1..) within one record's key. */
const SLOTS = 64;
function orderKey(merge: boolean, position: number): number {
  return ((merge ? MERGE_BASE : 0) + position) * SLOTS;
}

/** The number of `count` decimal digits at `from` in `text`, or -1 if any is not a digit. */
function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** "YYYY-MM…" → YYYYMM, or -1 (what `/^\d{4}-\d{2}/` tests, without a RegExp or a string per record). */
function monthKey(date: string): number {
  if (date.length < 7 || date.charCodeAt(4) !== 45) return -1; // '-'
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 2);
  return y < 0 || m < 0 ? -1 : y * 100 + m;
}

/** The calendar day of an author date as written: YYYYMMDD for "YYYY-MM-DD…", else its first 10 characters. */
function dayKey(date: string): number | string {
  const month = monthKey(date);
  const d = date.length >= 10 && date.charCodeAt(7) === 45 ? digits(date, 8, 2) : -1;
  return month < 0 || d < 0 ? date.slice(0, 10) : month * 100 + d;
}

/** YYYYMM → "YYYY-MM" (the text the key was read from). */
const monthText = (key: number) => `${String(Math.floor(key / 100)).padStart(4, '0')}-${String(key % 100).padStart(2, '0')}`;

/** Category totals in the report's shape from the flat per-category triples of Totals. */
function categoryStats(flat: readonly number[], files: readonly number[], bytes: readonly number[]): Record<Category, CategoryStats> {
  const out = {} as Record<Category, CategoryStats>;
  CATEGORIES.forEach((c, k) => (out[c] = { commits: flat[k * 3]!, linesAdded: flat[k * 3 + 1]!, linesDeleted: flat[k * 3 + 2]!, files: files[k]!, bytes: bytes[k]! }));
  return out;
}

/** The score's per-category amounts from the flat credit quadruples of Totals. */
function scoreCategories(credit: readonly number[]): Record<Category, CategoryAmounts> {
  const out = {} as Record<Category, CategoryAmounts>;
  const n = CREDIT_FIELDS;
  CATEGORIES.forEach((c, k) => (out[c] = { commits: credit[k * n]!, lines: credit[k * n + 1]!, files: credit[k * n + 2]!, bytes: credit[k * n + 3]! }));
  return out;
}

/** Keeps the earlier of two dates; equal instants (other offsets) by the smaller text, so arrival order never decides. */
function earlier(ms: number, iso: string, thanMs: number, thanIso: string | null): boolean {
  return thanIso === null || ms < thanMs || (ms === thanMs && iso < thanIso);
}
function later(ms: number, iso: string, thanMs: number, thanIso: string | null): boolean {
  return thanIso === null || ms > thanMs || (ms === thanMs && iso > thanIso);
}

/** Zeroed totals with every field in one order (one object shape for all, which keeps property access fast). */
function zeroTotals(): Totals {
  return {
    commits: 0, merges: 0, linesAdded: 0, linesDeleted: 0, categories: new Array<number>(CATEGORIES.length * 3).fill(0),
    files: new Map(), months: new Map(), days: new Set(), firstMs: 0, firstIso: null, lastMs: 0, lastIso: null,
    binaryFiles: new Array<number>(CATEGORIES.length).fill(0), binaryBytes: new Array<number>(CATEGORIES.length).fill(0),
    credit: new Array<number>(CATEGORIES.length * CREDIT_FIELDS).fill(0),
  };
}

function newSighting(name: string, email: string, order: number): SightingTotals {
  const t = zeroTotals() as SightingTotals & { name: string; email: string };
  t.name = name;
  t.email = email;
  t.order = order;
  t.authored = 0;
  t.mentions = 0;
  return t;
}

function newPerson(person: Person): PersonTotals {
  const t = zeroTotals() as PersonTotals & { person: Person };
  t.person = person;
  t.surviving = 0;
  t.coAuthored = 0;
  t.reviewed = 0;
  t.issuesOpened = 0;
  t.answers = 0;
  t.reviews = 0;
  t.reviewComments = 0;
  (t as { logins: Set<string> }).logins = new Set();
  (t as { interactionMonths: Map<string, InteractionMonth> }).interactionMonths = new Map();
  return t;
}

export class ImpactTally {
  private readonly categorize: Categorizer;
  private readonly sightings = new Map<string, SightingTotals>();
  /** Sightings by name and email as written, so the key string is built once per distinct pair, not per record. */
  private readonly byWritten = new Map<string, Map<string, SightingTotals>>();
  private readonly credited: CreditedRecord[] = [];
  private readonly contactsSeen = new Set<string>();
  /** Every path seen, by id, with its category (index into CATEGORIES), so each path is categorized once. */
  private readonly pathIds = new Map<string, number>();
  private readonly paths: string[] = [];
  private readonly pathCategory: number[] = [];
  private readonly files = new LineTable();
  private readonly months = new LineTable();
  private readonly binaryChanges: BinaryChange[] = [];
  private finished = false;
  // Lines per category of the record being added (CATEGORIES order).
  private readonly added = new Array<number>(CATEGORIES.length).fill(0);
  private readonly deleted = new Array<number>(CATEGORIES.length).fill(0);
  private readonly touched = new Array<boolean>(CATEGORIES.length).fill(false);
  private readonly binary = new Array<number>(CATEGORIES.length).fill(0);

  /** `categories` is needed while records are added; everything else comes to finish(). */
  constructor(categories?: CategoryOptions) {
    this.categorize = createCategorizer(categories);
  }

  /** The blobs the records so far left at binary paths (`sha:path`): what readBlobSizes reads for finish's `blobSizes`. */
  get binaryBlobs(): BlobSpec[] {
    return this.binaryChanges.map((c) => c.spec);
  }

  /** Trailer contacts as written in the records so far (what resolveTrailerContacts maps through .mailmap). */
  get trailerContacts(): ReadonlySet<string> {
    return this.contactsSeen;
  }

  private sighting(name: string, email: string, order: number): SightingTotals {
    let emails = this.byWritten.get(name);
    if (!emails) this.byWritten.set(name, (emails = new Map()));
    let s = emails.get(email);
    if (!s) {
      const key = `${name}\0${email.toLowerCase()}`;
      s = this.sightings.get(key);
      if (!s) this.sightings.set(key, (s = newSighting(name, email, order)));
      emails.set(email, s);
    }
    if (order < s.order) s.order = order;
    return s;
  }

  private pathId(path: string): number {
    let id = this.pathIds.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.pathCategory.push(CATEGORY_INDEX.get(this.categorize(path))!);
      this.pathIds.set(path, id);
    }
    return id;
  }

  /** Adds one record; `position` is its place in git log order (merges included), which only breaks ties. */
  add(r: CommitRecord, position: number): void {
    if (this.finished) throw new Error('ImpactTally: add after finish');
    const order = orderKey(r.merge, position);
    const s = this.sighting(r.authorName, r.authorEmail, order);
    s.authored++;
    if (r.merge) s.merges++;
    else s.commits++;
    const ms = Date.parse(r.authorDate);
    if (Number.isFinite(ms)) {
      if (earlier(ms, r.authorDate, s.firstMs, s.firstIso)) {
        s.firstMs = ms;
        s.firstIso = r.authorDate;
      }
      if (later(ms, r.authorDate, s.lastMs, s.lastIso)) {
        s.lastMs = ms;
        s.lastIso = r.authorDate;
      }
      s.days.add(dayKey(r.authorDate));
    }
    // The month as written in the author's own offset (like activeDays), so no time-zone shift.
    const monthAt = r.merge ? -1 : monthKey(r.authorDate);
    const month = monthAt < 0 ? -1 : this.months.slot(s.months, monthAt);
    const { added, deleted, touched, files, binary } = this;
    touched.fill(false);
    let recordAdded = 0;
    let recordDeleted = 0;
    let binaryPaths: { path: string; category: number }[] | null = null;
    for (const f of r.files) {
      const id = this.pathId(f.path);
      const k = this.pathCategory[id]!;
      if (!touched[k]) {
        touched[k] = true;
        added[k] = 0;
        deleted[k] = 0;
        binary[k] = 0;
      }
      if (f.binary) {
        binary[k]!++;
        (binaryPaths ??= []).push({ path: f.path, category: k });
      }
      added[k] = added[k]! + f.added;
      deleted[k] = deleted[k]! + f.deleted;
      recordAdded += f.added;
      recordDeleted += f.deleted;
      files.add(files.slot(s.files, id), 1, f.added, f.deleted);
    }
    s.linesAdded += recordAdded;
    s.linesDeleted += recordDeleted;
    if (month >= 0) this.months.add(month, 1, recordAdded, recordDeleted);
    const plain = r.trailers.length === 0;
    // A record with trailers keeps its own credit until co-authors are known; others add it straight away.
    const credit = plain ? s.credit : new Array<number>(CATEGORIES.length * CREDIT_FIELDS).fill(0);
    const n = CREDIT_FIELDS;
    for (let k = 0; k < CATEGORIES.length; k++) {
      if (!touched[k]) continue;
      s.categories[k * 3]!++;
      s.categories[k * 3 + 1]! += added[k]!;
      s.categories[k * 3 + 2]! += deleted[k]!;
      s.binaryFiles[k]! += binary[k]!;
      credit[k * n]!++;
      credit[k * n + 1]! += added[k]! + deleted[k]!;
      credit[k * n + 2]! += binary[k]!;
    }
    if (binaryPaths && !r.merge) {
      for (const b of binaryPaths) this.binaryChanges.push({ spec: `${r.sha}:${b.path}`, sighting: s, credit, category: b.category });
    }
    if (plain) return;
    for (const t of r.trailers) this.contactsSeen.add(t.contact);
    this.credited.push({ author: s, order, trailers: r.trailers, credit });
  }

  /** Adds an identity's totals into a person's; the first one is taken over whole (sightings are not used again). */
  private mergeInto(t: PersonTotals, s: SightingTotals, first: boolean): void {
    t.commits += s.commits;
    t.merges += s.merges;
    t.linesAdded += s.linesAdded;
    t.linesDeleted += s.linesDeleted;
    for (let i = 0; i < t.categories.length; i++) t.categories[i]! += s.categories[i]!;
    if (first) {
      t.files = s.files;
      t.months = s.months;
      t.days = s.days;
    } else {
      this.files.merge(t.files, s.files);
      this.months.merge(t.months, s.months);
      for (const d of s.days) t.days.add(d);
    }
    if (s.firstIso !== null && earlier(s.firstMs, s.firstIso, t.firstMs, t.firstIso)) {
      t.firstMs = s.firstMs;
      t.firstIso = s.firstIso;
    }
    if (s.lastIso !== null && later(s.lastMs, s.lastIso, t.lastMs, t.lastIso)) {
      t.lastMs = s.lastMs;
      t.lastIso = s.lastIso;
    }
    for (let i = 0; i < t.binaryFiles.length; i++) t.binaryFiles[i]! += s.binaryFiles[i]!;
    for (let i = 0; i < t.binaryBytes.length; i++) t.binaryBytes[i]! += s.binaryBytes[i]!;
    for (let i = 0; i < t.credit.length; i++) t.credit[i]! += s.credit[i]!;
  }

  /** The (at most TOP_FILES) paths with the most lines changed, ties by path: a sort's first entries, without sorting them all. */
  private topFiles(files: ReadonlyMap<number, number>): FileImpact[] {
    const { paths } = this;
    const { added, deleted } = this.files;
    const before = ([px, x]: [number, number], [py, y]: [number, number]) => {
      const d = added[y]! + deleted[y]! - (added[x]! + deleted[x]!);
      return d !== 0 ? d < 0 : paths[px]! < paths[py]!;
    };
    const top: [number, number][] = [];
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
    return top.map(([id, at]) => ({ path: paths[id]!, ...this.files.stats(at), category: CATEGORIES[this.pathCategory[id]!]! }));
  }

  /**
   * The report: identities resolved (overrides applied), trailer credit settled, blame totals added, scores.
   * `contacts` maps trailer contacts as written to their identity after .mailmap (missing ones are used as written).
   */
  finish(surviving: readonly SurvivingLines[] | null, contacts: ReadonlyMap<string, Contact> | undefined, options: FinishOptions = {}): ImpactReport {
    if (this.finished) throw new Error('ImpactTally: finished already');
    this.finished = true;
    // Bytes of binary files, to their identity's totals and to the record's credit (split with co-authors below).
    for (const c of options.blobSizes ? this.binaryChanges : []) {
      const size = options.blobSizes!.get(c.spec) ?? 0;
      c.sighting.binaryBytes[c.category]! += size;
      c.credit[c.category * CREDIT_FIELDS + 3]! += size;
    }
    const weights = resolveWeights(options.weights);
    const forge = options.forge ?? [];
    // Accounts the forge itself calls bots are bots here too, under their login's key.
    const forgeBots = forge.filter((f) => f.bot).flatMap((f) => [f.login, loginEmail(f.forge, f.login)]);
    const isBot = createBotDetector(forgeBots.length ? { ...options.bots, accounts: [...(options.bots?.accounts ?? []), ...forgeBots] } : options.bots);
    const contactOf = (raw: string): Contact => contacts?.get(raw) ?? parseContact(raw);

    // Records with trailers in order, and the identities their trailers name (weighted a little, so that a
    // name seen only in trailers does not outweigh one that authored).
    this.credited.sort((a, b) => a.order - b.order);
    const named = this.credited.map((c) =>
      c.trailers.map((t, i) => {
        const contact = contactOf(t.contact);
        const s = this.sighting(contact.name, contact.email, c.order + Math.min(1 + i, SLOTS - 1));
        s.mentions++;
        return s;
      }),
    );
    (surviving ?? []).forEach((b, i) => this.sighting(b.name, b.email, SURVIVING_BASE * SLOTS + i));
    // A forge login is one more identity (its noreply address), weighted like a trailer mention, and merged
    // with the git identities of the commits the forge attributes to it — unless the user split one of them.
    const forgeSightings = forge.map((f, i) => {
      const s = this.sighting(f.name ?? f.login, loginEmail(f.forge, f.login), FORGE_BASE * SLOTS + i);
      s.mentions++;
      return s;
    });
    const splitKeys = new Set((options.identities?.split ?? []).map((e) => {
      const c = parseContact(e);
      return identityKey(c.name, c.email);
    }));
    const forgeMerges = forge
      .map((f, i) => [forgeSightings[i]!, ...f.identities.filter((id) => !splitKeys.has(identityKey(id.name, id.email)))] as const)
      .filter((group) => group.length > 1 && !splitKeys.has(identityKey(group[0].name, group[0].email)))
      .map((group) => group.map((id) => `${id.name} <${id.email}>`));
    const identities: IdentityOverrides = forgeMerges.length
      ? { ...options.identities, merge: [...(options.identities?.merge ?? []), ...forgeMerges] }
      : (options.identities ?? {});
    // A login's noreply address stands for the login only; `emails` lists it only if git used it too.
    const forgeOnly = new Set(forgeSightings.map((s) => s.email.toLowerCase()));
    for (const s of this.sightings.values()) if (s.authored + s.mentions > (forgeSightings.includes(s) ? 1 : 0)) forgeOnly.delete(s.email.toLowerCase());
    const ordered = [...this.sightings.values()].sort((a, b) => a.order - b.order);
    const resolver = resolveIdentities(
      ordered.map((s) => ({ name: s.name, email: s.email, weight: s.authored + s.mentions * 0.001 })),
      isBot,
      identities,
    );
    const included = (p: Person) => options.includeBots === true || !p.bot;

    const people = new Map<Person, PersonTotals>();
    const totalsOf = (p: Person): PersonTotals => {
      let t = people.get(p);
      if (!t) people.set(p, (t = newPerson(p)));
      return t;
    };
    const personOfSighting = new Map<SightingTotals, Person>();
    const merged = new Set<PersonTotals>();
    for (const s of ordered) {
      const p = resolver.personOf(s.name, s.email);
      personOfSighting.set(s, p);
      if (s.authored === 0) continue;
      const t = totalsOf(p);
      this.mergeInto(t, s, !merged.has(t));
      merged.add(t);
    }

    this.credited.forEach((r, i) => {
      const author = personOfSighting.get(r.author)!;
      const names = named[i]!;
      const co = new Set<Person>();
      const reviewers = new Set<Person>();
      r.trailers.forEach((t, j) => {
        const p = personOfSighting.get(names[j]!)!;
        if (t.kind === 'co-author' && p !== author && included(p)) co.add(p);
      });
      r.trailers.forEach((t, j) => {
        const p = personOfSighting.get(names[j]!)!;
        if (t.kind !== 'co-author' && p !== author && !co.has(p) && included(p)) reviewers.add(p);
      });
      for (const p of co) totalsOf(p).coAuthored++;
      for (const p of reviewers) totalsOf(p).reviewed++;
      // The commit's credit is shared equally by its author and co-authors.
      const share = 1 / (1 + co.size);
      for (const p of [author, ...co]) {
        const t = totalsOf(p);
        for (let i = 0; i < r.credit.length; i++) t.credit[i]! += r.credit[i]! * share;
      }
    });
    for (const b of surviving ?? []) totalsOf(resolver.personOf(b.name, b.email)).surviving += b.lines;
    forge.forEach((f, i) => {
      const t = totalsOf(personOfSighting.get(forgeSightings[i]!)!);
      t.issuesOpened += f.interaction.issuesOpened;
      t.answers += f.interaction.answers;
      t.reviews += f.interaction.reviews;
      t.reviewComments += f.interaction.reviewComments;
      t.logins.add(f.login);
      for (const m of f.months) {
        const into = t.interactionMonths.get(m.month) ?? { month: m.month, issuesOpened: 0, answers: 0, reviews: 0, reviewComments: 0 };
        into.issuesOpened += m.issuesOpened;
        into.answers += m.answers;
        into.reviews += m.reviews;
        into.reviewComments += m.reviewComments;
        t.interactionMonths.set(m.month, into);
      }
    });

    const kept = [...people.values()].filter(
      (t) => included(t.person) && t.commits + t.merges + t.coAuthored + t.reviewed + t.surviving + t.issuesOpened + t.answers + t.reviews + t.reviewComments > 0,
    );
    const scores = scoreContributors(
      kept.map((t) => ({
        categories: scoreCategories(t.credit),
        interactions: t.reviewed + t.coAuthored + t.reviews,
        questions: t.issuesOpened + t.answers,
      })),
      weights,
    );
    const contributors: ContributorImpact[] = kept.map((t, i) => ({
      name: t.person.name,
      email: t.person.email,
      emails: t.person.emails.some((e) => !forgeOnly.has(e)) ? t.person.emails.filter((e) => !forgeOnly.has(e)) : [...t.person.emails],
      commits: t.commits,
      merges: t.merges,
      linesAdded: t.linesAdded,
      linesDeleted: t.linesDeleted,
      survivingLines: surviving ? t.surviving : null,
      categories: categoryStats(t.categories, t.binaryFiles, t.binaryBytes),
      coAuthored: t.coAuthored,
      reviewed: t.reviewed,
      bot: t.person.bot,
      score: scores[i]!.score,
      share: scores[i]!.share,
      components: { ...scores[i]!.components },
      filesTouched: t.files.size,
      firstCommit: t.firstIso,
      lastCommit: t.lastIso,
      activeDays: t.days.size,
      activity: [...t.months].sort(([x], [y]) => x - y).map(([key, at]) => ({ month: monthText(key), ...this.months.stats(at) })),
      topFiles: this.topFiles(t.files),
      interaction: { issuesOpened: t.issuesOpened, answers: t.answers, reviews: t.reviews, reviewComments: t.reviewComments },
      interactionActivity: [...t.interactionMonths.values()].sort((x, y) => (x.month < y.month ? -1 : x.month > y.month ? 1 : 0)),
      logins: [...t.logins].sort(),
    }));
    contributors.sort((x, y) => y.share - x.share || y.commits - x.commits || x.name.localeCompare(y.name) || x.email.localeCompare(y.email));
    return { contributors, weights };
  }
}

/** Aggregates per-commit records already in memory into per-person totals and scores. Pure: no git, no I/O. */
export function aggregateImpact(input: ImpactInput, options: AggregateOptions = {}): ImpactReport {
  const tally = new ImpactTally(options.categories);
  input.commits.forEach((r, i) => tally.add(r, i));
  // Merges sort after non-merges whatever their positions, so plain indexes keep the input order.
  input.merges.forEach((r, i) => tally.add(r, i));
  return tally.finish(input.surviving, input.contacts, input.blobSizes ? { ...options, blobSizes: input.blobSizes } : options);
}
