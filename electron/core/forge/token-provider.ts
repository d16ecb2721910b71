// Where a forge token comes from: one the user entered (kept by the host: the desktop app's keychain, or memory
// for this process), else GITHUB_TOKEN / GITLAB_TOKEN. The core only asks; it never stores or logs a token.
import type { ForgeKind } from '../../../shared/forge.js';

export interface TokenProvider {
  /** The token for this forge API, or null to go unauthenticated (public data, lower rate limit). */
  get(forge: ForgeKind, apiUrl: string): Promise<string | null>;
  /** Keeps a token the user entered (null forgets it). */
  set(forge: ForgeKind, apiUrl: string, token: string | null): Promise<void>;
}

const TOKEN_ENV: Readonly<Record<ForgeKind, string>> = Object.freeze({ github: 'GITHUB_TOKEN', gitlab: 'GITLAB_TOKEN' });

/** Entered tokens kept by `keep` (memory by default), then the environment. */
export function createTokenProvider(
  env: NodeJS.ProcessEnv = process.env,
  keep: { load(key: string): Promise<string | null>; save(key: string, token: string | null): Promise<void> } = memoryKeeper(),
): TokenProvider {
  const key = (forge: ForgeKind, apiUrl: string) => `${forge} ${new URL(apiUrl).origin}`;
  return {
    async get(forge, apiUrl) {
      const entered = await keep.load(key(forge, apiUrl));
      if (entered) return entered;
      const fromEnv = env[TOKEN_ENV[forge]]?.trim();
      return fromEnv ? fromEnv : null;
    },
    set: (forge, apiUrl, token) => keep.save(key(forge, apiUrl), token && token.trim() ? token.trim() : null),
  };
}

function memoryKeeper() {
  const tokens = new Map<string, string>();
  return {
    load: async (k: string) => tokens.get(k) ?? null,
    save: async (k: string, token: string | null) => void (token ? tokens.set(k, token) : tokens.delete(k)),
  };
}
