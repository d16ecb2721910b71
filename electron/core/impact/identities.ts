// Groups the identities git reports (already mapped through .mailmap) into people: one email is one
// person, a name seen with several emails is one person, a login-like name that is another identity's
// email login is the same person; manual merge/split overrides win. Bots are never merged with people
// automatically.
import { emailLogin } from './bots.js';
import { parseContact } from './trailers.js';

export interface IdentityOverrides {
  /** Groups that are one person. Each entry: an email, a `Name <email>`, or a name (all identities with it). */
  readonly merge?: readonly (readonly string[])[];
  /** Identities (same forms) that are never merged automatically with another email or name. */
  readonly split?: readonly string[];
}

/** One occurrence of an identity; `weight` decides which name and email a person is shown with. */
export interface IdentitySighting {
  readonly name: string;
  readonly email: string;
  readonly weight: number;
}

export interface Person {
  readonly id: number;
  /** The name and email the person used most. */
  readonly name: string;
  readonly email: string;
  /** Every email seen for the person, lower case, most used first. */
  readonly emails: readonly string[];
  /** True when every identity of the person is an automation account. */
  readonly bot: boolean;
}

export interface IdentityResolver {
  readonly people: readonly Person[];
  /** The person an identity belongs to; the identity must have been among the sightings. */
  personOf(name: string, email: string): Person;
}

/** Emails that say nothing about who wrote a commit; identities using them are told apart by name. */
function isPlaceholderEmail(email: string): boolean {
  return (
    !email.includes('@') ||
    /@(localhost|localhost\.localdomain|\(none\)|none|example\.(com|org|net)|users\.noreply\.localhost)$/.test(email) ||
    (/^(you|your\.?email|email|user|root|noreply|no-reply|nobody|none|unknown)@/.test(email) && !email.endsWith('@users.noreply.github.com'))
  );
}

/** Names that many unrelated people share in git histories. */
const GENERIC_NAMES = new Set([
  '', 'unknown', 'root', 'admin', 'administrator', 'user', 'your name', 'name', 'none', 'nobody', 'github', 'git',
  'ubuntu', 'test', 'tester', 'developer', 'dev', 'me', 'author', 'anonymous', 'local', 'default', 'pi', 'vagrant',
]);
/** Email logins that are roles, not people. */
const GENERIC_LOGINS = new Set([
  'info', 'admin', 'contact', 'mail', 'email', 'dev', 'developer', 'hello', 'hi', 'git', 'github', 'noreply', 'no-reply',
  'support', 'team', 'office', 'root', 'user', 'test', 'webmaster', 'me', 'code', 'bot', 'ci',
]);

export function normalizeName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/^["']|["']$/g, '').replace(/\s+/g, ' ').trim();
}

/** The key an identity is grouped by before any merging: its email (GitHub noreply by login), or its name. */
export function identityKey(name: string, email: string): string {
  const e = email.trim().toLowerCase();
  if (e && !isPlaceholderEmail(e)) return e.endsWith('@users.noreply.github.com') ? `gh:${emailLogin(e)}` : `e:${e}`;
  return `n:${normalizeName(name)}`;
}

interface Node {
  readonly key: string;
  readonly index: number;
  readonly names: Map<string, number>;
  readonly emails: Map<string, number>;
  bot: boolean;
  pinned: boolean;
}

export function resolveIdentities(
  sightings: Iterable<IdentitySighting>,
  isBot: (name: string, email: string) => boolean,
  overrides: IdentityOverrides = {},
): IdentityResolver {
  const nodes = new Map<string, Node>();
  const botMemo = new Map<string, boolean>();
  for (const s of sightings) {
    const key = identityKey(s.name, s.email);
    let node = nodes.get(key);
    if (!node) {
      node = { key, index: nodes.size, names: new Map(), emails: new Map(), bot: false, pinned: false };
      nodes.set(key, node);
    }
    const name = s.name.trim();
    const email = s.email.trim().toLowerCase();
    node.names.set(name, (node.names.get(name) ?? 0) + s.weight);
    if (email) node.emails.set(email, (node.emails.get(email) ?? 0) + s.weight);
    const memo = `${name}\n${email}`;
    let bot = botMemo.get(memo);
    if (bot === undefined) botMemo.set(memo, (bot = isBot(name, email)));
    if (bot) node.bot = true;
  }
  const list = [...nodes.values()];
  const parent = list.map((n) => n.index);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: Node, b: Node) => {
    const ra = find(a.index);
    const rb = find(b.index);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const autoUnion = (a: Node, b: Node) => {
    if (a === b || a.pinned || b.pinned || a.bot !== b.bot) return;
    union(a, b);
  };

  // Resolving override entries (email, "Name <email>" or name) to nodes.
  const byName = new Map<string, Node[]>();
  for (const node of list) {
    for (const name of node.names.keys()) {
      const n = normalizeName(name);
      const bucket = byName.get(n) ?? [];
      if (!bucket.includes(node)) bucket.push(node);
      byName.set(n, bucket);
    }
  }
  const nodesFor = (entry: string): Node[] => {
    const contact = parseContact(entry);
    if (contact.email) {
      const node = nodes.get(identityKey(contact.name, contact.email));
      return node ? [node] : [];
    }
    return byName.get(normalizeName(contact.name)) ?? [];
  };
  for (const entry of overrides.split ?? []) for (const node of nodesFor(entry)) node.pinned = true;

  // Same name, different emails.
  for (const [name, bucket] of byName) {
    if (GENERIC_NAMES.has(name) || name.length < 2 || !/\p{L}/u.test(name)) continue;
    for (let i = 1; i < bucket.length; i++) autoUnion(bucket[0]!, bucket[i]!);
  }
  // A login-like name ("jdoe") that is another identity's email login (jdoe@…, 123+jdoe@users.noreply.github.com).
  const byLogin = new Map<string, Node[]>();
  for (const node of list) {
    for (const email of node.emails.keys()) {
      const login = emailLogin(email);
      if (login.length < 4 || GENERIC_LOGINS.has(login) || isPlaceholderEmail(email)) continue;
      const bucket = byLogin.get(login) ?? [];
      if (!bucket.includes(node)) bucket.push(node);
      byLogin.set(login, bucket);
    }
  }
  for (const [name, bucket] of byName) {
    if (/\s/.test(name) || name.length < 4 || GENERIC_NAMES.has(name) || GENERIC_LOGINS.has(name)) continue;
    const sameLogin = byLogin.get(name);
    if (!sameLogin) continue;
    for (const a of bucket) for (const b of sameLogin) autoUnion(a, b);
  }
  // Manual merges win over everything.
  for (const group of overrides.merge ?? []) {
    const members = group.flatMap(nodesFor);
    for (let i = 1; i < members.length; i++) union(members[0]!, members[i]!);
  }

  const groups = new Map<number, Node[]>();
  for (const node of list) {
    const root = find(node.index);
    const g = groups.get(root) ?? [];
    g.push(node);
    groups.set(root, g);
  }
  const people: Person[] = [];
  const personByKey = new Map<string, Person>();
  for (const members of groups.values()) {
    const names = new Map<string, number>();
    const emails = new Map<string, number>();
    for (const m of members) {
      for (const [n, w] of m.names) if (n) names.set(n, (names.get(n) ?? 0) + w);
      for (const [e, w] of m.emails) emails.set(e, (emails.get(e) ?? 0) + w);
    }
    const rankedEmails = rank(emails);
    const person: Person = {
      id: people.length,
      name: rank(names)[0] ?? rankedEmails[0] ?? 'unknown',
      email: rankedEmails[0] ?? '',
      emails: rankedEmails,
      bot: members.every((m) => m.bot),
    };
    people.push(person);
    for (const m of members) personByKey.set(m.key, person);
  }
  return {
    people,
    personOf(name, email) {
      const person = personByKey.get(identityKey(name, email));
      if (!person) throw new Error(`Identity not among the sightings: ${name} <${email}>`);
      return person;
    },
  };
}

/** Keys by weight (highest first), ties by first seen. */
function rank(weights: Map<string, number>): string[] {
  const order = [...weights.keys()];
  return order.map((k, i) => ({ k, i, w: weights.get(k)! })).sort((a, b) => b.w - a.w || a.i - b.i).map((x) => x.k);
}
