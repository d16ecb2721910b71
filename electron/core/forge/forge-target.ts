// Which forge project a clone belongs to: proposed from its remote URL (github.com / gitlab.com, https or
// ssh), or given as `--github OWNER/REPO` / `--gitlab GROUP/PROJECT` with an optional API URL.
import { DEFAULT_FORGE_API_URL, type ForgeKind, type ForgeTarget } from '../../../shared/forge.js';

/** The forge project a remote URL names, or null when it is not on github.com or gitlab.com. */
export function proposeForgeTarget(remoteUrl: string): ForgeTarget | null {
  const url = remoteUrl.trim();
  const m =
    /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|[^@\s/]+@)(github\.com|gitlab\.com)[:/](.+?)(?:\.git)?\/*$/i.exec(url);
  if (!m) return null;
  const forge: ForgeKind = m[1]!.toLowerCase() === 'github.com' ? 'github' : 'gitlab';
  const repo = m[2]!.replace(/^\/+/, '');
  const parts = repo.split('/');
  if (parts.some((p) => !p) || (forge === 'github' ? parts.length !== 2 : parts.length < 2)) return null;
  return { forge, repo, apiUrl: DEFAULT_FORGE_API_URL[forge] };
}

/** Checks and completes a target the user gave; one-line errors name the bad value. */
export function forgeTarget(forge: ForgeKind, repo: string, apiUrl?: string): ForgeTarget {
  const r = repo.trim().replace(/\.git$/, '').replace(/^\/+|\/+$/g, '');
  const parts = r.split('/');
  if (forge === 'github' && (parts.length !== 2 || parts.some((p) => !/^[A-Za-z0-9_.-]+$/.test(p)))) {
    throw new RangeError(`--github takes OWNER/REPO, not "${repo}"`);
  }
  if (forge === 'gitlab' && (parts.length < 2 || parts.some((p) => !/^[A-Za-z0-9_.-]+$/.test(p)))) {
    throw new RangeError(`--gitlab takes GROUP/PROJECT (subgroups allowed), not "${repo}"`);
  }
  const api = (apiUrl ?? DEFAULT_FORGE_API_URL[forge]).trim().replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(api);
  } catch {
    throw new RangeError(`--api-url must be an http(s) URL, not "${apiUrl}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new RangeError(`--api-url must be an http(s) URL, not "${apiUrl}"`);
  return { forge, repo: r, apiUrl: api };
}
