// Test helper: builds real git repositories in temp folders with fixed authors and dates, and asks git
// itself for the figures the tests compare against. Used only by the *.test.ts files beside it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Who {
  readonly name: string;
  readonly email: string;
}

/** Seconds since the epoch of the first fixture commit (2024-01-01T10:00:00Z); each commit is an hour later. */
const BASE_TIME = Date.UTC(2024, 0, 1, 10) / 1000;

export class TestRepo {
  private clock = 0;

  private constructor(readonly dir: string) {}

  static create(): TestRepo {
    const repo = new TestRepo(mkdtempSync(join(tmpdir(), 'mc-impact-test-')));
    repo.git(['init', '-q', '-b', 'main']);
    return repo;
  }

  /** Runs git with an environment that ignores the user's and the system's config. */
  git(args: readonly string[], options: { env?: Record<string, string>; input?: string | Buffer } = {}): string {
    return execFileSync('git', [...args], {
      cwd: this.dir,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', ...options.env },
      input: options.input,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  write(path: string, content: string | Buffer): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return this;
  }

  /**
   * Stages everything and commits as `who` at the next fixed date (author and committer the same), or at
   * `at` when given (any date git reads, e.g. "2025-12-31T23:30:00-05:00"; the fixed clock still moves on).
   */
  commit(who: Who, message: string, options: { allowEmpty?: boolean; days?: number; at?: string } = {}): string {
    this.git(['add', '-A']);
    this.clock += (options.days ?? 0) * 24 + 1;
    const date = options.at ?? `${BASE_TIME + this.clock * 3600} +0000`;
    this.git(['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`, 'commit', '-q', '--no-verify', ...(options.allowEmpty ? ['--allow-empty'] : []), '-m', message], {
      env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    return this.git(['rev-parse', 'HEAD']).trim();
  }

  /** A `--no-ff` merge of `branch` into the current branch, by `who`. */
  merge(who: Who, branch: string, message = `Merge branch ${branch}`): string {
    this.clock += 1;
    const date = `${BASE_TIME + this.clock * 3600} +0000`;
    this.git(['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`, 'merge', '-q', '--no-ff', '-m', message, branch], {
      env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    return this.git(['rev-parse', 'HEAD']).trim();
  }

  /** `git shortlog -sne --no-merges HEAD` (mailmap applied) as `Name <email>` → commits. */
  shortlog(): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of this.git(['shortlog', '-sne', '--no-merges', 'HEAD']).split('\n')) {
      const m = /^\s*(\d+)\s+(.*)$/.exec(line);
      if (m) out.set(m[2]!, Number(m[1]));
    }
    return out;
  }

  /** Sums of `git log --numstat --no-merges` per mailmapped author email (binary files count 0). */
  numstatByEmail(): Map<string, { added: number; deleted: number }> {
    const out = new Map<string, { added: number; deleted: number }>();
    let email = '';
    for (const line of this.git(['log', '--numstat', '--no-merges', '--format=@%aE', 'HEAD']).split('\n')) {
      if (line.startsWith('@')) {
        email = line.slice(1).toLowerCase();
        continue;
      }
      const m = /^(\d+|-)\t(\d+|-)\t/.exec(line);
      if (!m) continue;
      const t = out.get(email) ?? { added: 0, deleted: 0 };
      t.added += m[1] === '-' ? 0 : Number(m[1]);
      t.deleted += m[2] === '-' ? 0 : Number(m[2]);
      out.set(email, t);
    }
    return out;
  }

  /** Lines per mailmapped author email from `git blame --line-porcelain -w` on every text file at HEAD. */
  blameByEmail(extraArgs: readonly string[] = []): Map<string, number> {
    const out = new Map<string, number>();
    const files = this.git(['diff-tree', '-r', '--numstat', '4b825dc642cb6eb9a060e54bf8d69288fbee4904', 'HEAD'])
      .split('\n')
      .map((l) => /^(\d+)\t\d+\t(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) > 0)
      .map((m) => m[2]!);
    for (const file of files) {
      for (const line of this.git(['blame', '--line-porcelain', '-w', ...extraArgs, 'HEAD', '--', file]).split('\n')) {
        if (!line.startsWith('author-mail ')) continue;
        const email = line.slice(13, -1).toLowerCase();
        out.set(email, (out.get(email) ?? 0) + 1);
      }
    }
    return out;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
