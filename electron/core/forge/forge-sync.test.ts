// The forge sync end to end: a real loopback server answering like GitHub's and GitLab's REST APIs, a real
// SQLite store, a real git repository analysed with the forge's people merged in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Channel, RequestOf, ResponseOf } from '../../../shared/contract.js';
import type { ContributorImpact } from '../../../shared/impact.js';
import { TestRepo } from '../testing/test-git-repo.js';
import { createServices, type Services } from '../services.js';
import { emptyCommunity, startForgeApiServer, type FakeCommunity, type ForgeApiServer } from '../testing/forge-api-server.js';
import { createTokenProvider } from './token-provider.js';

const TOKEN = 'ghp_test0123456789SECRETtoken';
const alice = { login: 'alice', name: 'Alice Archer' };
const bob = { login: 'bob', name: 'Bob B' };
const carol = { login: 'carol', name: 'Carol C' };
const dave = { login: 'dave', name: 'Dave D' };
const bot = { login: 'dependabot[bot]', bot: true };
const at = (day: number) => `2026-02-${String(day).padStart(2, '0')}T10:00:00Z`;

/** The scripted community: a bot, a person with no commits (carol), one with two git identities and one login (alice), own comments. */
function community(): FakeCommunity {
  const c = emptyCommunity();
  c.issues.push(
    { number: 1, user: carol, updatedAt: at(1), createdAt: '2026-01-15T09:00:00Z' }, // opened in January
    { number: 2, user: dave, updatedAt: at(2) },
    { number: 3, user: alice, pull: true, updatedAt: at(3) },
    { number: 4, user: bot, pull: true, updatedAt: at(4) },
    { number: 5, user: carol, updatedAt: at(5) },
    { number: 6, user: bob, pull: true, updatedAt: at(6) },
  );
  c.comments.push(
    { id: 11, issue: 1, user: alice, updatedAt: at(1), createdAt: '2026-01-20T09:00:00Z' }, // written in January, edited since
    { id: 12, issue: 1, user: alice, updatedAt: at(2) }, // the same issue again: one answer
    { id: 13, issue: 1, user: bob, updatedAt: at(2) },
    { id: 14, issue: 2, user: dave, updatedAt: at(3) }, // on one's own issue: not an answer
    { id: 15, issue: 2, user: carol, updatedAt: at(3) },
    { id: 16, issue: 5, user: bot, updatedAt: at(5) },
    { id: 17, issue: 3, user: carol, updatedAt: at(5) }, // a pull request's conversation: not an answer
    { id: 18, issue: 5, user: alice, updatedAt: at(6) },
  );
  c.reviews.push(
    { id: 21, pull: 3, user: bob, state: 'APPROVED', submittedAt: at(3) },
    { id: 22, pull: 3, user: bob, state: 'COMMENTED', submittedAt: at(3) }, // same pull request: one review
    { id: 23, pull: 3, user: alice, state: 'COMMENTED', submittedAt: at(3) }, // own pull request
    { id: 24, pull: 4, user: alice, state: 'APPROVED', submittedAt: at(4) },
    { id: 25, pull: 6, user: carol, state: 'PENDING', submittedAt: at(6) }, // not submitted
    { id: 26, pull: 4, user: carol, state: 'CHANGES_REQUESTED', submittedAt: at(4) },
  );
  c.reviewComments.push(
    { id: 31, pull: 3, user: bob, updatedAt: at(3) },
    { id: 32, pull: 3, user: bob, updatedAt: at(3) },
    { id: 33, pull: 3, user: alice, updatedAt: at(3) }, // own pull request
    { id: 34, pull: 6, user: alice, updatedAt: at(6) },
  );
  c.commits.push(
    { sha: 'a1', login: 'alice', name: 'Alice Archer', email: 'alice@home.test', date: '2024-01-01T10:00:00Z' },
    { sha: 'a2', login: 'alice', name: 'A. Archer', email: 'alice@work.test', date: '2024-01-01T11:00:00Z' },
    { sha: 'b1', login: 'bob', name: 'Bob B', email: 'bob@b.test', date: '2024-01-01T12:00:00Z' },
    { sha: 'x1', login: null, name: 'Unlinked', email: 'nobody@else.test', date: '2024-01-01T13:00:00Z' },
  );
  return c;
}

let root: string;
let repo: TestRepo;
let server: ForgeApiServer;
let services: Services;
let projectId: string;
let logged: string[];

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-forge-'));
  repo = TestRepo.create();
  repo.write('model.py', 'a\nb\n').commit({ name: 'Alice Archer', email: 'alice@home.test' }, 'model');
  repo.write('train.py', 'c\n').commit({ name: 'A. Archer', email: 'alice@work.test' }, 'train');
  repo.write('README.md', 'd\n').commit({ name: 'Bob B', email: 'bob@b.test' }, 'docs');
  server = await startForgeApiServer(community(), 2); // 2 per page: every list is paged by Link headers
  logged = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  }
  services = createServices({ home: path.join(root, 'home'), version: 'test', forgeTokens: createTokenProvider({ GITHUB_TOKEN: TOKEN, GITLAB_TOKEN: TOKEN }) });
  projectId = (await services.projects.add(repo.dir)).id;
});

afterEach(async () => {
  services.close();
  await server.close();
  vi.restoreAllMocks();
  repo.remove();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A request through the validated dispatch, as every host sends it; an error envelope throws its message. */
async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const reply = await services.dispatch(channel, request);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as ResponseOf<C>;
}
const byLogin = (people: readonly ContributorImpact[], login: string) => people.find((p) => p.logins.includes(login));
const analyze = async () => (await call('impact:analyze', { projectId, blame: false })).contributors;

describe('GitHub forge sync', () => {
  it('fetches nothing before the project is connected, and proposes the remote URL', async () => {
    await expect(call('forge:sync', { projectId })).rejects.toThrow(/Connect the project/);
    const clone = services.projects.get(projectId).path;
    repo.git(['-C', clone, 'remote', 'set-url', 'origin', 'git@github.com:octo/model.git']);
    const status = await call('forge:status', { projectId });
    expect(status.connection).toBeNull();
    expect(status.proposed).toEqual({ forge: 'github', repo: 'octo/model', apiUrl: 'https://api.github.com' });
    expect(server.requests).toHaveLength(0);
    // Without the forge, alice's two identities are two people and carol is nobody.
    const people = await analyze();
    expect(people.map((p) => p.email).sort()).toEqual(['alice@home.test', 'alice@work.test', 'bob@b.test']);
    expect(people.every((p) => p.logins.length === 0 && p.interaction.answers === 0)).toBe(true);
  });

  it('counts issues opened, answers, reviews and review comments exactly, and honours rate limits', async () => {
    await call('forge:connect', { projectId, forge: 'github', repo: 'octo/model', apiUrl: server.baseUrl });
    server.failOnce('/issues/comments', 'secondary-403');
    server.failOnce('/commits', 'primary-403');
    const first = await call('forge:sync', { projectId });
    expect(first.fetched).toMatchObject({ issues: 3, pullRequests: 3 });
    expect(first.status.syncedAt).not.toBeNull();
    expect(first.status.rate).toMatchObject({ limit: 5000 });
    expect(first.status.rate!.remaining).toBeLessThan(5000);
    // Each rate-limited request was answered 403 once, then asked again and answered.
    const comments = server.requests.filter((r) => r.url.startsWith('/repos/octo/model/issues/comments'));
    expect(comments.map((r) => r.status).slice(0, 2)).toEqual([403, 200]);
    const commits = server.requests.filter((r) => r.url.startsWith('/repos/octo/model/commits'));
    expect(commits.map((r) => r.status).slice(0, 2)).toEqual([403, 200]);
    expect(logged.some((l) => /secondary rate limit.*waiting 1 s/.test(l))).toBe(true);

    const people = await analyze();
    const a = byLogin(people, 'alice')!;
    expect(a.emails.sort()).toEqual(['alice@home.test', 'alice@work.test']);
    expect(a.commits).toBe(2);
    expect(a.interaction).toEqual({ issuesOpened: 0, answers: 2, reviews: 1, reviewComments: 1 });
    expect(byLogin(people, 'bob')!.interaction).toEqual({ issuesOpened: 0, answers: 1, reviews: 1, reviewComments: 2 });
    const c = byLogin(people, 'carol')!;
    expect(c).toMatchObject({ name: 'carol', commits: 0, interaction: { issuesOpened: 2, answers: 1, reviews: 1, reviewComments: 0 } });
    expect(c.components.pq).toBeGreaterThan(0);
    expect(byLogin(people, 'dave')!.interaction).toEqual({ issuesOpened: 1, answers: 0, reviews: 0, reviewComments: 0 });
    expect(people.some((p) => p.logins.includes('dependabot[bot]'))).toBe(false);
    expect(people).toHaveLength(4);
    // PQ = ½ questions (issues opened + answers) + ½ reviews: carol has 3 of the 7 questions (2 + 1 + 3 + 1) and 1 of the 3 reviews.
    expect(c.components.pq).toBeCloseTo((3 / 7 + 1 / 3) / 2, 10);
    // The timeline: an issue by when it was opened, an answer by the person's first comment on the issue.
    const month = (m: string, issuesOpened: number, answers: number, reviews: number, reviewComments: number) => ({ month: m, issuesOpened, answers, reviews, reviewComments });
    expect(c.interactionActivity).toEqual([month('2026-01', 1, 0, 0, 0), month('2026-02', 1, 1, 1, 0)]);
    expect(a.interactionActivity).toEqual([month('2026-01', 0, 1, 0, 0), month('2026-02', 0, 1, 1, 1)]);
    expect(byLogin(people, 'bob')!.interactionActivity).toEqual([month('2026-02', 0, 1, 1, 2)]);
    const withBots = (await call('impact:analyze', { projectId, blame: false, includeBots: true })).contributors;
    expect(byLogin(withBots, 'dependabot[bot]')).toMatchObject({ bot: true });
  });

  it('revalidates every list with If-None-Match on a resync: 304s and no new data, then only what changed', async () => {
    await call('forge:connect', { projectId, forge: 'github', repo: 'octo/model', apiUrl: server.baseUrl });
    await call('forge:sync', { projectId });
    const before = server.requests.length;
    const second = await call('forge:sync', { projectId });
    const asked = server.requests.slice(before);
    expect(asked.map((r) => r.url.split('?')[0]).sort()).toEqual(
      ['/repos/octo/model/commits', '/repos/octo/model/issues', '/repos/octo/model/issues/comments', '/repos/octo/model/pulls/comments'],
    );
    expect(asked.every((r) => r.ifNoneMatch !== null && r.status === 304)).toBe(true);
    expect(second).toMatchObject({ requests: 4, notModified: 4, fetched: { issues: 0, pullRequests: 0, comments: 0, reviews: 0, reviewComments: 0, commits: 0 } });

    server.community.comments.push({ id: 19, issue: 5, user: bob, updatedAt: at(9) });
    const third = await call('forge:sync', { projectId });
    expect(third.notModified).toBe(3);
    expect(third.fetched.comments).toBeGreaterThanOrEqual(1);
    expect(byLogin(await analyze(), 'bob')!.interaction.answers).toBe(2);
  });

  it('cancels a sync that waits for the rate limit, and the next sync starts over cleanly', async () => {
    await call('forge:connect', { projectId, forge: 'github', repo: 'octo/model', apiUrl: server.baseUrl });
    server.failOnce('/repos/octo/model/issues', 'secondary-403');
    const waiting = new Promise<void>((resolve) => services.events.on('forge:progress', (p) => p.waitingSeconds !== null && resolve()));
    const sync = call('forge:sync', { projectId });
    await waiting;
    expect(services.forge.cancel(projectId)).toBe(true);
    await expect(sync).rejects.toThrow('The forge sync was cancelled');
    expect((await call('forge:status', { projectId })).syncedAt).toBeNull();
    const again = await call('forge:sync', { projectId });
    expect(again.fetched.issues).toBe(3);
  });

  it('reads the reviews a cancelled sync did not get to on the next sync, though the pull requests are unchanged', async () => {
    await call('forge:connect', { projectId, forge: 'github', repo: 'octo/model', apiUrl: server.baseUrl });
    server.failOnce('/pulls/3/reviews', 'secondary-403');
    const waiting = new Promise<void>((resolve) => services.events.on('forge:progress', (p) => p.waitingSeconds !== null && resolve()));
    const sync = call('forge:sync', { projectId });
    await waiting;
    services.forge.cancel(projectId);
    await expect(sync).rejects.toThrow('cancelled');
    const again = await call('forge:sync', { projectId });
    expect(again.fetched.pullRequests).toBe(0); // the issues list answered 304
    expect(again.fetched.reviews).toBe(6);
    expect(byLogin(await analyze(), 'bob')!.interaction.reviews).toBe(1);
  });

  it('never writes the token to the store or a log, and sends it to the API only', async () => {
    const elsewhere = await startForgeApiServer(community(), 2);
    try {
      await call('forge:connect', { projectId, forge: 'github', repo: 'octo/model', apiUrl: server.baseUrl });
      server.failOnce('/issues/comments', 'secondary-403');
      await call('forge:sync', { projectId });
      expect(server.requests.every((r) => r.auth === `token ${TOKEN}`)).toBe(true);
      // A server whose Link header points at another host is not followed there.
      server.linkOrigin = elsewhere.baseUrl;
      server.community.issues.push({ number: 7, user: carol, updatedAt: at(10) }, { number: 8, user: carol, updatedAt: at(11) }, { number: 9, user: carol, updatedAt: at(12) });
      await expect(call('forge:sync', { projectId })).rejects.toThrow(/not its API/);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
    services.close();
    const home = path.join(root, 'home');
    for (const file of fs.readdirSync(home, { recursive: true }) as string[]) {
      const full = path.join(home, file);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).includes(TOKEN), file).toBe(false);
    }
    expect(logged.join('\n')).not.toContain(TOKEN);
    expect(logged.join('\n')).not.toContain('SECRET');
    services = createServices({ home, version: 'test' }); // for afterEach
  });
});

describe('GitLab forge sync', () => {
  it('reads issues, notes and approvals by x-next-page, waits out a 429, and links logins by display name', async () => {
    await call('forge:connect', { projectId, forge: 'gitlab', repo: 'group/sub/model', apiUrl: server.baseUrl });
    server.failOnce('/merge_requests', 'gitlab-429');
    const result = await call('forge:sync', { projectId });
    expect(result.fetched).toMatchObject({ issues: 3, pullRequests: 3 });
    const issueLists = server.requests.filter((r) => r.url.startsWith('/api/v4/projects/group%2Fsub%2Fmodel/issues?'));
    expect(issueLists).toHaveLength(3); // 3 issues, 2 a page, and the first page again for the new `since`'s ETag
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(server.requests.every((r) => r.auth === TOKEN)).toBe(true);
    const people = await analyze();
    expect(byLogin(people, 'carol')).toMatchObject({ name: 'Carol C', commits: 0, interaction: { issuesOpened: 2, answers: 1, reviews: 0, reviewComments: 0 } });
    // GitLab's review is an approval: bob approved alice's merge request 3.
    const b = byLogin(people, 'bob')!;
    expect(b).toMatchObject({ email: 'bob@b.test', commits: 1, interaction: { issuesOpened: 0, answers: 1, reviews: 1, reviewComments: 2 } });
    expect(byLogin(people, 'alice')!.interaction).toEqual({ issuesOpened: 0, answers: 2, reviews: 1, reviewComments: 1 });
    expect(people.some((p) => p.logins.includes('root') || p.logins.includes('dependabot[bot]'))).toBe(false);
    // The timeline: bob's approval dated by GitLab's "approved this merge request" note, carol's issue by when opened.
    const month = (m: string, issuesOpened: number, answers: number, reviews: number, reviewComments: number) => ({ month: m, issuesOpened, answers, reviews, reviewComments });
    expect(b.interactionActivity).toEqual([month('2026-02', 0, 1, 1, 2)]);
    expect(byLogin(people, 'carol')!.interactionActivity).toEqual([month('2026-01', 1, 0, 0, 0), month('2026-02', 1, 1, 0, 0)]);
  });

  it('revalidates every list with If-None-Match on a resync: 304s, no new data; then reads only the changed issue', async () => {
    await call('forge:connect', { projectId, forge: 'gitlab', repo: 'group/model', apiUrl: server.baseUrl });
    await call('forge:sync', { projectId });
    const before = server.requests.length;
    const second = await call('forge:sync', { projectId });
    const asked = server.requests.slice(before);
    expect(asked.map((r) => r.url.split('?')[0]).sort()).toEqual(['/api/v4/projects/group%2Fmodel/issues', '/api/v4/projects/group%2Fmodel/merge_requests']);
    expect(asked.every((r) => r.ifNoneMatch !== null && r.status === 304)).toBe(true);
    expect(second).toMatchObject({ requests: 2, notModified: 2, fetched: { issues: 0, pullRequests: 0, comments: 0, reviews: 0, reviewComments: 0, commits: 0 } });

    // A new note on issue 5 (GitLab moves the issue's updated_at): that issue and its notes are read, nothing else.
    server.community.comments.push({ id: 19, issue: 5, user: bob, updatedAt: at(9) });
    server.community.issues.find((i) => i.number === 5)!.updatedAt = at(9);
    const from = server.requests.length;
    const third = await call('forge:sync', { projectId });
    const paths = server.requests.slice(from).map((r) => `${r.status} ${r.url.split('?')[0]}`);
    expect(paths.filter((p) => p.includes('/notes'))).toEqual(Array(2).fill('200 /api/v4/projects/group%2Fmodel/issues/5/notes')); // 4 notes, 2 a page
    expect(paths).toContain('304 /api/v4/projects/group%2Fmodel/merge_requests');
    expect(third.fetched).toMatchObject({ issues: 1, comments: 3 });
    expect(byLogin(await analyze(), 'bob')!.interaction.answers).toBe(2);
    const fourth = await call('forge:sync', { projectId });
    expect(fourth).toMatchObject({ requests: 2, notModified: 2 });
  });
});
