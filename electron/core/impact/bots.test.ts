// Tests of bots.ts: automation accounts are bots, people whose names contain "bot" are not.
import { describe, expect, it } from 'vitest';
import { createBotDetector, emailLogin, isBotIdentity } from './bots.js';

describe('bot detection', () => {
  it.each([
    ['dependabot[bot]', '49699333+dependabot[bot]@users.noreply.github.com'],
    ['dependabot-preview[bot]', 'support@dependabot.com'],
    ['github-actions[bot]', '41898282+github-actions[bot]@users.noreply.github.com'],
    ['GitHub Actions', 'action@github.com'],
    ['github-actions', 'github-actions@github.com'],
    ['Renovate Bot', 'bot@renovateapp.com'],
    ['renovate[bot]', '29139614+renovate[bot]@users.noreply.github.com'],
    ['greenkeeper[bot]', 'greenkeeper[bot]@users.noreply.github.com'],
    ['Greenkeeper', 'support@greenkeeper.io'],
    ['snyk-bot', 'snyk-bot@snyk.io'],
    ['pre-commit-ci[bot]', '66853113+pre-commit-ci[bot]@users.noreply.github.com'],
    ['semantic-release-bot', 'semantic-release-bot@martynus.net'],
    ['ImgBotApp', 'imgbot@users.noreply.github.com'],
    ['release_bot', 'release@corp.test'],
    ['Someone', 'ci-bot@corp.test'],
    ['Weblate (bot)', 'hosted@weblate.org'],
  ])('%s <%s> is a bot', (name, email) => {
    expect(isBotIdentity(name, email)).toBe(true);
  });

  it.each([
    ['Mary Abbott', 'mary.abbott@mail.test'],
    ['Sam Robotham', 'sam@robotham.test'],
    ['Bot Tomlinson', 'bot.tomlinson@mail.test'],
    ['Rob Talbot', 'talbot@mail.test'],
    ['Abbott', 'abbott@mail.test'],
    ['Jane Bot', 'jane.bot@mail.test'],
    ['Botond Kovacs', 'botond@mail.test'],
    ['Linus', 'linus@mail.test'],
    ['robotics-lab', 'lab@robotics.test'],
  ])('%s <%s> is a person', (name, email) => {
    expect(isBotIdentity(name, email)).toBe(false);
  });

  it('takes extra automation accounts and exceptions', () => {
    const detect = createBotDetector({ accounts: ['Nightly Builder', 'builds@corp.test'], people: ['ci-bot@corp.test'] });
    expect(detect('Nightly Builder', 'n@corp.test')).toBe(true);
    expect(detect('Anyone', 'builds@corp.test')).toBe(true);
    expect(detect('Someone', 'ci-bot@corp.test')).toBe(false);
    expect(detect('dependabot[bot]', 'x@corp.test')).toBe(true);
  });

  it('reads the login of GitHub noreply addresses', () => {
    expect(emailLogin('12345+jdoe@users.noreply.github.com')).toBe('jdoe');
    expect(emailLogin('jdoe@users.noreply.github.com')).toBe('jdoe');
    expect(emailLogin('Jane.Doe@Mail.test')).toBe('jane.doe');
  });
});
