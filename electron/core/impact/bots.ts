// Tells automation accounts (dependabot, renovate, github-actions, "[bot]" accounts, …) from people.
// Deliberately narrow: a person whose name merely contains "bot" (Abbott, Robotham, Talbot, "Bot Tomlinson")
// is a person.

export interface BotOverrides {
  /** More automation accounts: names, logins or emails (case-insensitive, exact). */
  readonly accounts?: readonly string[];
  /** Names, logins or emails that are people even if the rules below say bot. */
  readonly people?: readonly string[];
}

/** Known automation accounts, compared after removing everything but letters and digits. */
export const KNOWN_BOT_ACCOUNTS: readonly string[] = [
  'dependabot', 'dependabot-preview', 'renovate', 'renovate-bot', 'renovatebot', 'github-actions', 'github-action',
  'GitHub Actions', 'greenkeeper', 'greenkeeperio-bot', 'snyk-bot', 'snyk bot', 'pre-commit-ci', 'codecov', 'codecov-io',
  'imgbot', 'imgbotapp', 'allcontributors', 'all-contributors', 'semantic-release-bot', 'mergify', 'web-flow',
  'pyup-bot', 'pyup.io bot', 'deepsource-autofix', 'sonarcloud', 'restyled-io', 'whitesource-bolt-for-github',
  'mend-bolt-for-github', 'weblate', 'transifex-integration', 'copilot-swe-agent', 'gitlab-bot', 'azure-pipelines',
  'travis-ci', 'coveralls', 'stale', 'auto-merge-bot', 'release-please', 'changeset-bot',
];

/** Known automation emails (exact, case-insensitive). */
export const KNOWN_BOT_EMAILS: readonly string[] = [
  'action@github.com', 'actions@github.com', 'noreply@github.com', 'bot@renovateapp.com', 'renovate@whitesourcesoftware.com',
  'support@dependabot.com', 'snyk-bot@snyk.io', 'support@greenkeeper.io', 'noreply@weblate.org', 'hosted@weblate.org',
  'semantic-release-bot@martynus.net', 'imgbot@users.noreply.github.com', 'github-actions@github.com',
];

const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const KNOWN_COMPACT = new Set(KNOWN_BOT_ACCOUNTS.map(compact));
const KNOWN_EMAILS = new Set(KNOWN_BOT_EMAILS);

/** The login in a GitHub noreply address (`123+login@users.noreply.github.com`), else the local part. */
export function emailLogin(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  const local = at < 0 ? lower : lower.slice(0, at);
  return lower.endsWith('@users.noreply.github.com') ? local.replace(/^\d+\+/, '') : local;
}

/** A login-like token (no spaces) with "bot" as its own dash- or underscore-separated part ("ci-bot", "bot_ci"). */
function isBotLogin(token: string): boolean {
  const t = token.toLowerCase();
  if (/\s/.test(t)) return false;
  return /\[bot\]$/.test(t) || /[-_]bot$/.test(t) || /^bot[-_]/.test(t) || /[-_]bot[-_]/.test(t);
}

function stripBotSuffix(name: string): string {
  return name.trim().replace(/\s*[[(]bot[\])]$/i, '');
}

export function createBotDetector(overrides: BotOverrides = {}): (name: string, email: string) => boolean {
  const extra = new Set((overrides.accounts ?? []).map((s) => s.trim().toLowerCase()));
  const extraCompact = new Set((overrides.accounts ?? []).map(compact).filter(Boolean));
  const people = new Set((overrides.people ?? []).map((s) => s.trim().toLowerCase()));
  return (name, email) => {
    const n = name.trim();
    const e = email.trim().toLowerCase();
    const login = emailLogin(e);
    if (people.has(n.toLowerCase()) || (e && people.has(e)) || (login && people.has(login))) return false;
    if (extra.has(n.toLowerCase()) || (e && extra.has(e)) || (login && extra.has(login))) return true;
    if (/[[(]bot[\])]$/i.test(n) || /\[bot\]$/.test(login)) return true;
    if (e && KNOWN_EMAILS.has(e)) return true;
    const names = [compact(stripBotSuffix(n)), compact(login.replace(/\[bot\]$/, ''))].filter(Boolean);
    if (names.some((c) => KNOWN_COMPACT.has(c) || extraCompact.has(c))) return true;
    return isBotLogin(n) || (login !== '' && isBotLogin(login));
  };
}

/** Bot test with the default rules only. */
export const isBotIdentity = createBotDetector();
