// The desktop app's token keeper: sealed by the keychain on disk, read back, never in plain text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenProvider } from '../core/forge/token-provider.js';
import { keychainTokenKeeper, type SafeStorageLike } from './forge-token-keychain.js';

/** Stands in for the OS keychain (no Electron binary here): a reversible transform that hides the text. */
const sealing = (available: boolean): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from([...Buffer.from(s, 'utf8')].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString('utf8'),
});

describe('keychainTokenKeeper', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-keychain-'));
  const TOKEN = 'ghp_enteredInTheApp123';

  it('keeps an entered token sealed on disk, reads it back after a restart, and wins over the environment', async () => {
    const file = path.join(dir, 'forge-tokens.json');
    const tokens = createTokenProvider({ GITHUB_TOKEN: 'from-env' }, keychainTokenKeeper(sealing(true), file));
    expect(await tokens.get('github', 'https://api.github.com')).toBe('from-env');
    await tokens.set('github', 'https://api.github.com', TOKEN);
    expect(fs.readFileSync(file).includes(TOKEN)).toBe(false);
    const restarted = createTokenProvider({}, keychainTokenKeeper(sealing(true), file));
    expect(await restarted.get('github', 'https://api.github.com')).toBe(TOKEN);
    expect(await restarted.get('github', 'https://github.example.com/api/v3')).toBeNull(); // another API never gets it
    await restarted.set('github', 'https://api.github.com', null);
    expect(await restarted.get('github', 'https://api.github.com')).toBeNull();
  });

  it('without keychain encryption keeps the token in memory only', async () => {
    const file = path.join(dir, 'plain.json');
    const keeper = keychainTokenKeeper(sealing(false), file);
    await keeper.save('github https://api.github.com', TOKEN);
    expect(await keeper.load('github https://api.github.com')).toBe(TOKEN);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(TOKEN);
  });
});
