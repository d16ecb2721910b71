// The interaction definitions (README.md, PQ) applied to what the forge sync stored: per login, issues opened,
// answers (others' issues commented on, once per issue), reviews (others' pull requests reviewed, once per pull
// request) and review comments (on others' pull requests), with the git identities each login's commits link,
// and each count per month: an issue by when it was opened, an answer or a review by the person's first comment
// or review on it, a review comment by when it was written.
import type { InteractionMonth } from '../../../shared/forge.js';
import type { Db } from '../store/database.js';
import type { ForgePerson } from './forge-person.js';
import { ForgeRepository } from './forge-repository.js';

type Counted = 'issuesOpened' | 'answers' | 'reviews' | 'reviewComments';

interface Tally {
  name: string | null;
  bot: boolean;
  issuesOpened: number;
  /** Issue or pull request number → the person's earliest comment or review on it (null: no date known). */
  answers: Map<number, string | null>;
  reviews: Map<number, string | null>;
  reviewComments: number;
  /** Dated issues opened and review comments: [kind, date]. */
  dated: [Counted, string][];
}

/** The earlier of two ISO dates, a known one before an unknown one. */
function earliest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

/** Counts per "YYYY-MM" (UTC) of dated items, oldest first. */
function byMonth(dated: readonly [Counted, string][]): InteractionMonth[] {
  const months = new Map<string, InteractionMonth>();
  for (const [kind, at] of dated) {
    const ms = Date.parse(at);
    if (!Number.isFinite(ms)) continue;
    const month = new Date(ms).toISOString().slice(0, 7);
    let m = months.get(month);
    if (!m) months.set(month, (m = { month, issuesOpened: 0, answers: 0, reviews: 0, reviewComments: 0 }));
    m[kind]++;
  }
  return [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
}

/** The forge people of a connected project; [] when the project is not connected (nothing was fetched). */
export function forgePeople(db: Db, projectId: string): ForgePerson[] {
  const repo = new ForgeRepository(db);
  const connection = repo.connection(projectId);
  if (!connection) return [];
  const items = repo.items(projectId);
  const people = new Map<string, Tally>();
  // Logins compare case-insensitively on both forges; the first spelling seen is kept.
  const spelled = new Map<string, string>();
  const of = (login: string, bot: boolean, name: string | null | undefined): Tally => {
    const key = login.toLowerCase();
    if (!spelled.has(key)) spelled.set(key, login);
    let t = people.get(key);
    if (!t) people.set(key, (t = { name: null, bot: false, issuesOpened: 0, answers: new Map(), reviews: new Map(), reviewComments: 0, dated: [] }));
    if (bot) t.bot = true;
    if (name && !t.name) t.name = name;
    return t;
  };
  const issueAuthor = new Map<number, string>();
  const pullAuthor = new Map<number, string>();
  for (const i of items) {
    if (i.kind === 'issue') issueAuthor.set(i.number, i.author.toLowerCase());
    if (i.kind === 'pull') pullAuthor.set(i.number, i.author.toLowerCase());
  }
  for (const i of items) {
    const t = of(i.author, i.authorBot, i.authorName);
    const me = i.author.toLowerCase();
    // A GitHub review's updated_at is its submitted_at (the store before migration 15 has only that).
    const at = i.createdAt ?? (i.kind === 'review' ? i.updatedAt : null) ?? null;
    if (i.kind === 'issue') {
      t.issuesOpened++;
      if (at) t.dated.push(['issuesOpened', at]);
    } else if (i.kind === 'comment') {
      const owner = issueAuthor.get(i.number);
      // Only issues (not pull-request conversations), and never one's own.
      if (owner !== undefined && owner !== me) t.answers.set(i.number, earliest(t.answers.get(i.number), at));
    } else if (i.kind === 'review') {
      const owner = pullAuthor.get(i.number);
      if (owner !== undefined && owner !== me && i.state !== 'PENDING') t.reviews.set(i.number, earliest(t.reviews.get(i.number), at));
    } else if (i.kind === 'review_comment') {
      const owner = pullAuthor.get(i.number);
      if (owner !== undefined && owner !== me) {
        t.reviewComments++;
        if (at) t.dated.push(['reviewComments', at]);
      }
    }
  }
  const identities = new Map<string, { name: string; email: string }[]>();
  for (const a of repo.commitAuthors(projectId)) {
    const key = a.login.toLowerCase();
    if (!spelled.has(key)) {
      spelled.set(key, a.login);
      of(a.login, false, null);
    }
    const list = identities.get(key) ?? [];
    list.push({ name: a.name, email: a.email });
    identities.set(key, list);
  }
  return [...people].map(([key, t]) => ({
    forge: connection.forge,
    login: spelled.get(key)!,
    name: t.name,
    bot: t.bot,
    identities: identities.get(key) ?? [],
    interaction: { issuesOpened: t.issuesOpened, answers: t.answers.size, reviews: t.reviews.size, reviewComments: t.reviewComments },
    months: byMonth([
      ...t.dated,
      ...[...t.answers.values()].filter((at) => at !== null).map((at): [Counted, string] => ['answers', at]),
      ...[...t.reviews.values()].filter((at) => at !== null).map((at): [Counted, string] => ['reviews', at]),
    ]),
  }));
}
