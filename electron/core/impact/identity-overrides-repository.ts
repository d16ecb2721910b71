// Per-project identity overrides (identities.ts) kept in the store: groups of aliases that are one person
// (merge) and identities never merged automatically (split). analyzeWithCache applies them on every run.
import type { Db } from '../store/database.js';
import { identityKey, type IdentityOverrides } from './identities.js';
import { parseContact } from './trailers.js';

/** The stored overrides, always with both lists. */
export interface StoredIdentityOverrides {
  readonly merge: string[][];
  readonly split: string[];
}

/** The key an override entry (email, `Name <email>` or name) is compared by, the way identities.ts matches it. */
function entryKey(entry: string): string {
  const contact = parseContact(entry);
  return identityKey(contact.name, contact.email);
}

function dedupe(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const key = entryKey(entry);
    if (!entry || seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}

export class IdentityOverridesRepository {
  constructor(private readonly db: Db) {}

  get(projectId: string): StoredIdentityOverrides {
    const json = this.db.prepare(`SELECT overrides FROM impact_identity_overrides WHERE project_id = ?`).pluck().get(projectId) as string | undefined;
    if (json === undefined) return { merge: [], split: [] };
    const parsed = JSON.parse(json) as IdentityOverrides;
    return { merge: (parsed.merge ?? []).map((g) => [...g]), split: [...(parsed.split ?? [])] };
  }

  /**
   * Records that the identities (emails, `Name <email>`, or names) are one person. A group that shares an
   * identity with an earlier group is joined with it. A manual merge wins over a split (identities.ts),
   * so splits stay as they are: a split entry merged here is still not merged automatically with others.
   */
  merge(projectId: string, identities: readonly string[]): StoredIdentityOverrides {
    const group = dedupe(identities);
    if (group.length < 2) throw new RangeError('A merge needs at least two different identities');
    const current = this.get(projectId);
    const keys = new Set(group.map(entryKey));
    const joined = [...group];
    const rest: string[][] = [];
    for (const g of current.merge) {
      if (g.some((e) => keys.has(entryKey(e)))) joined.push(...g);
      else rest.push(g);
    }
    return this.save(projectId, { merge: [...rest, dedupe(joined)], split: current.split });
  }

  /** Takes the identity out of any merge group and keeps it from being merged automatically. */
  split(projectId: string, identity: string): StoredIdentityOverrides {
    const entry = identity.trim();
    if (!entry) throw new RangeError('No identity to split');
    const key = entryKey(entry);
    const current = this.get(projectId);
    const merge = current.merge.map((g) => g.filter((e) => entryKey(e) !== key)).filter((g) => g.length >= 2);
    const split = current.split.some((e) => entryKey(e) === key) ? current.split : [...current.split, entry];
    return this.save(projectId, { merge, split });
  }

  /** Forgets the project's overrides. */
  reset(projectId: string): void {
    this.db.prepare(`DELETE FROM impact_identity_overrides WHERE project_id = ?`).run(projectId);
  }

  private save(projectId: string, overrides: StoredIdentityOverrides): StoredIdentityOverrides {
    if (overrides.merge.length === 0 && overrides.split.length === 0) {
      this.reset(projectId);
      return overrides;
    }
    this.db
      .prepare(`INSERT OR REPLACE INTO impact_identity_overrides (project_id, overrides, updated_at) VALUES (?, ?, ?)`)
      .run(projectId, JSON.stringify(overrides), new Date().toISOString());
    return overrides;
  }
}

/** Stored overrides and the caller's, together (the caller's merges and splits are added). */
export function combineOverrides(stored: IdentityOverrides, extra: IdentityOverrides | undefined): IdentityOverrides {
  if (!extra) return stored;
  return { merge: [...(stored.merge ?? []), ...(extra.merge ?? [])], split: [...(stored.split ?? [])].concat(extra.split ?? []) };
}
