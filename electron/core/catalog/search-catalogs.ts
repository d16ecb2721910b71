// Searches the entries of several catalogs: one entry per URL (the first catalog listing it wins), every filter
// ANDed, the best name matches first, then by name.
import { licenseIds, type CatalogEntry, type CatalogHit, type CatalogSearchQuery } from '../../../shared/catalog.js';

export interface SearchableCatalog {
  readonly id: string;
  readonly name: string;
  readonly bundled: boolean;
  readonly entries: readonly CatalogEntry[];
}

/** The key two entries of the same repository share: no trailing `/` or `.git`, case kept (paths may differ by case). */
export function urlKey(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\.git$/i, '');
}

/** `catalogs` in preference order (the bundled catalog first). */
export function searchCatalogs(catalogs: readonly SearchableCatalog[], query: CatalogSearchQuery = {}): CatalogHit[] {
  const words = (query.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const tags = (query.tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean);
  const license = query.license?.trim().toUpperCase();

  const seen = new Set<string>();
  const scored: { hit: CatalogHit; score: number }[] = [];
  for (const catalog of catalogs) {
    for (const entry of catalog.entries) {
      const key = urlKey(entry.url);
      if (seen.has(key)) continue;
      seen.add(key);
      if (query.task && entry.task !== query.task) continue;
      const entryTags = entry.tags.map((t) => t.toLowerCase());
      if (!tags.every((t) => entryTags.includes(t))) continue;
      if (license && !licenseIds(entry.license).includes(license)) continue;
      if (query.maxSize !== undefined && (entry.size === undefined || entry.size > query.maxSize)) continue;
      const score = relevance(entry, entryTags, words);
      if (score === null) continue;
      scored.push({ hit: { entry, catalog: { id: catalog.id, name: catalog.name, bundled: catalog.bundled } }, score });
    }
  }
  return scored
    .sort((a, b) => b.score - a.score || compareNames(a.hit.entry.name, b.hit.entry.name))
    .map((s) => s.hit);
}

/** null when a word matches nowhere; otherwise higher the more of the query is in the name. */
function relevance(entry: CatalogEntry, tags: readonly string[], words: readonly string[]): number | null {
  if (words.length === 0) return 0;
  const name = entry.name.toLowerCase();
  const description = entry.description.toLowerCase();
  let inName = 0;
  for (const word of words) {
    if (name.includes(word)) inName++;
    else if (!description.includes(word) && !tags.some((t) => t.includes(word))) return null;
  }
  if (name === words.join(' ')) return 3;
  if (inName === words.length) return 2;
  return inName > 0 ? 1 : 0;
}

function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
}
