// Forge sync speed: ingest of 5,000 issues and 20,000 comments from a loopback server that answers like GitHub's
// REST API, against an anchor measured in the same run (the same pages read with plain fetch, nothing stored),
// and a resync with nothing new (one conditional request per list, all 304) — for GitHub, and for GitLab (whose
// notes are read per issue, so its ingest is a smaller community: GITLAB_ISSUES issues, GITLAB_COMMENTS notes).
// Run: npx tsx bench/forge-sync.ts
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTokenProvider } from '../electron/core/forge/token-provider.js';
import { createServices } from '../electron/core/services.js';
import { emptyCommunity, startForgeApiServer } from '../electron/core/testing/forge-api-server.js';

const ISSUES = 5000;
const COMMENTS = 20000;
const GITLAB_ISSUES = 500;
const GITLAB_COMMENTS = 2000;
const people = Array.from({ length: 200 }, (_, i) => ({ login: `user${i}` }));
const iso = (minute: number) => new Date(Date.UTC(2025, 0, 1) + minute * 60_000).toISOString().replace('.000', '');

const community = emptyCommunity();
for (let n = 1; n <= ISSUES; n++) community.issues.push({ number: n, user: people[n % people.length]!, updatedAt: iso(n) });
for (let id = 1; id <= COMMENTS; id++) community.comments.push({ id, issue: 1 + (id % ISSUES), user: people[(id * 7) % people.length]!, updatedAt: iso(ISSUES + id) });
for (let i = 0; i < 50; i++) community.commits.push({ sha: `c${i}`, login: people[i]!.login, name: `User ${i}`, email: `user${i}@x.test`, date: iso(i) });

const server = await startForgeApiServer(community);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-bench-forge-'));
const repoDir = path.join(root, 'repo');
fs.mkdirSync(repoDir);
const git = (...args: string[]) => execFileSync('git', args, { cwd: repoDir, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'U', GIT_AUTHOR_EMAIL: 'u@x.test', GIT_COMMITTER_NAME: 'U', GIT_COMMITTER_EMAIL: 'u@x.test' } });
git('init', '-q');
fs.writeFileSync(path.join(repoDir, 'a.py'), 'a\n');
git('add', '.');
git('commit', '-qm', 'a');

try {
  // Anchor: every page of the same lists with plain fetch, bodies parsed, nothing stored.
  const anchorStart = performance.now();
  let anchorRequests = 0;
  for (const list of ['issues?state=all&sort=updated&direction=asc', 'issues/comments?sort=updated&direction=asc', 'pulls/comments?sort=updated&direction=asc', 'commits?']) {
    let next: string | null = `${server.baseUrl}/repos/o/r/${list}&per_page=100`;
    while (next) {
      const res: Response = await fetch(next);
      anchorRequests++;
      await res.json();
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
    }
  }
  const anchorMs = performance.now() - anchorStart;

  const services = createServices({ home: path.join(root, 'home'), version: 'bench', forgeTokens: createTokenProvider({ GITHUB_TOKEN: 'bench-token' }) });
  const projectId = (await services.projects.add(repoDir)).id;
  await services.forge.connect(projectId, { forge: 'github', repo: 'o/r', apiUrl: server.baseUrl });
  const t0 = performance.now();
  const first = await services.forge.sync(projectId);
  const firstMs = performance.now() - t0;
  const t1 = performance.now();
  const again = await services.forge.sync(projectId);
  const againMs = performance.now() - t1;
  const t2 = performance.now();
  const report = await services.impact.analyze(projectId, { blame: false });
  const analyzeMs = performance.now() - t2;

  // GitLab: its own server (GitLab's pagination, ETags and 304s) and project, the same store.
  const glCommunity = emptyCommunity();
  for (let n = 1; n <= GITLAB_ISSUES; n++) glCommunity.issues.push({ number: n, user: people[n % people.length]!, updatedAt: iso(n) });
  for (let id = 1; id <= GITLAB_COMMENTS; id++) glCommunity.comments.push({ id, issue: 1 + (id % GITLAB_ISSUES), user: people[(id * 7) % people.length]!, updatedAt: iso(GITLAB_ISSUES + id) });
  const glServer = await startForgeApiServer(glCommunity);
  const glRepo = path.join(root, 'gl-repo');
  fs.cpSync(repoDir, glRepo, { recursive: true });
  const glProject = (await services.projects.add(glRepo)).id;
  await services.forge.connect(glProject, { forge: 'gitlab', repo: 'group/project', apiUrl: glServer.baseUrl });
  const t3 = performance.now();
  const glFirst = await services.forge.sync(glProject);
  const glFirstMs = performance.now() - t3;
  const t4 = performance.now();
  const glAgain = await services.forge.sync(glProject);
  const glAgainMs = performance.now() - t4;
  await glServer.close();
  services.close();

  console.log(`anchor (plain fetch of the same pages, nothing stored): ${anchorRequests} requests, ${(anchorMs / 1000).toFixed(2)} s`);
  console.log(`first sync: ${first.fetched.issues} issues, ${first.fetched.comments} comments in ${first.requests} requests, ${(firstMs / 1000).toFixed(2)} s = ${(firstMs / anchorMs).toFixed(2)}× the anchor`);
  console.log(`resync, nothing new: ${again.requests} requests (${again.notModified} answered 304; lists: issues, comments, review comments, commits), ${againMs.toFixed(0)} ms`);
  console.log(`impact analysis with ${report.contributors.length} people merged in: ${analyzeMs.toFixed(0)} ms`);
  console.log(`GitLab first sync: ${glFirst.fetched.issues} issues, ${glFirst.fetched.comments} notes in ${glFirst.requests} requests (notes per issue), ${(glFirstMs / 1000).toFixed(2)} s`);
  console.log(`GitLab resync, nothing new: ${glAgain.requests} requests (${glAgain.notModified} answered 304; lists: issues, merge requests), ${glAgainMs.toFixed(0)} ms`);
  if (again.requests !== 4 || again.notModified !== 4) {
    console.error('GitHub: a resync with nothing new should cost one conditional request per list');
    process.exitCode = 1;
  }
  if (glAgain.requests !== 2 || glAgain.notModified !== 2) {
    console.error('GitLab: a resync with nothing new should cost one conditional request per list');
    process.exitCode = 1;
  }
} finally {
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
}
