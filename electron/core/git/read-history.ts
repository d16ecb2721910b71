// Reads a project's commits, its HEAD and its contributors (mailmap applied, merges left out).
import type { Commit, Contributor } from '../../../shared/contract.js';
import { runGit, toGitError } from './project-git.js';

const FIELD = '\x1f';
const RECORD = '\x1e';

export async function readCommits(dir: string, limit: number, signal?: AbortSignal): Promise<Commit[]> {
  try {
    const { stdout } = await runGit(['log', `--max-count=${limit}`, `--format=%H${FIELD}%aN${FIELD}%aE${FIELD}%aI${FIELD}%s${RECORD}`, 'HEAD', '--'], {
      cwd: dir,
      ...(signal ? { signal } : {}),
    });
    const commits: Commit[] = [];
    for (const raw of stdout.split(RECORD)) {
      const r = raw.trim();
      if (!r) continue;
      const [sha = '', author = '', email = '', date = '', subject = ''] = r.split(FIELD);
      commits.push({ sha, author, email, date, subject });
    }
    return commits;
  } catch (err) {
    throw toGitError(err, 'Reading the history failed', signal);
  }
}

export async function readHead(dir: string): Promise<string> {
  try {
    return (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();
  } catch (err) {
    throw toGitError(err, 'Reading HEAD failed');
  }
}

export async function readContributors(dir: string): Promise<Contributor[]> {
  try {
    const { stdout: out } = await runGit(['shortlog', '-sne', '--no-merges', 'HEAD', '--'], { cwd: dir });
    return out
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(.*?)\s+<([^>]*)>\s*$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ commits: Number(m[1]), name: m[2] ?? '', email: m[3] ?? '' }))
      .sort((a, b) => b.commits - a.commits || a.name.localeCompare(b.name));
  } catch (err) {
    throw toGitError(err, 'Reading the contributors failed');
  }
}
