// The interaction definitions (README.md, PQ) applied to what the forge sync stored: per login, issues opened,
// answers (others' issues commented on, once per issue), reviews (others' pull requests reviewed, once per pull
// request) and review comments (on others' pull requests), with the git identities each login's commits link.
import type { Db } from '../store/database.js';
import type { ForgePerson } from './forge-person.js';
import { ForgeRepository } from './forge-repository.js';

interface Tally {
  name: string | null;
  bot: boolean;
  issuesOpened: number;
  answers: Set<number>;
  reviews: Set<number>;
  reviewComments: number;
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
    if (!t) people.set(key, (t = { name: null, bot: false, issuesOpened: 0, answers: new Set(), reviews: new Set(), reviewComments: 0 }));
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
    if (i.kind === 'issue') t.issuesOpened++;
    else if (i.kind === 'comment') {
      const owner = issueAuthor.get(i.number);
      // Only issues (not pull-request conversations), and never one's own.
      if (owner !== undefined && owner !== me) t.answers.add(i.number);
    } else if (i.kind === 'review') {
      const owner = pullAuthor.get(i.number);
      if (owner !== undefined && owner !== me && i.state !== 'PENDING') t.reviews.add(i.number);
    } else if (i.kind === 'review_comment') {
      const owner = pullAuthor.get(i.number);
      if (owner !== undefined && owner !== me) t.reviewComments++;
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
  }));
}
