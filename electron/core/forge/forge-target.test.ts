// Which forge project a remote URL proposes, and the one-line errors for a target typed wrong.
import { describe, expect, it } from 'vitest';
import { forgeTarget, proposeForgeTarget } from './forge-target.js';

describe('proposeForgeTarget', () => {
  it('reads github.com and gitlab.com remotes over https and ssh', () => {
    expect(proposeForgeTarget('https://github.com/octo/model.git')).toEqual({ forge: 'github', repo: 'octo/model', apiUrl: 'https://api.github.com' });
    expect(proposeForgeTarget('git@github.com:octo/model')).toEqual({ forge: 'github', repo: 'octo/model', apiUrl: 'https://api.github.com' });
    expect(proposeForgeTarget('ssh://git@gitlab.com/group/sub/model.git')).toEqual({ forge: 'gitlab', repo: 'group/sub/model', apiUrl: 'https://gitlab.com' });
    expect(proposeForgeTarget('/home/me/model')).toBeNull();
    expect(proposeForgeTarget('https://example.com/octo/model.git')).toBeNull();
    expect(proposeForgeTarget('https://github.com/octo/model/extra')).toBeNull();
  });
});

describe('forgeTarget', () => {
  it('completes the API URL and names a bad value in one line', () => {
    expect(forgeTarget('github', 'octo/model.git')).toEqual({ forge: 'github', repo: 'octo/model', apiUrl: 'https://api.github.com' });
    expect(forgeTarget('github', 'o/r', 'https://ghe.corp.test/api/v3/')).toMatchObject({ apiUrl: 'https://ghe.corp.test/api/v3' });
    expect(() => forgeTarget('github', 'just-a-name')).toThrow('--github takes OWNER/REPO, not "just-a-name"');
    expect(() => forgeTarget('gitlab', 'solo')).toThrow(/--gitlab takes GROUP\/PROJECT/);
    expect(() => forgeTarget('github', 'o/r', 'ftp://x')).toThrow('--api-url must be an http(s) URL, not "ftp://x"');
  });
});
