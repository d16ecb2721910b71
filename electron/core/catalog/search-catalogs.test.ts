import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../../shared/catalog.js';
import { searchCatalogs, type SearchableCatalog } from './search-catalogs.js';

const e = (name: string, over: Partial<CatalogEntry> = {}): CatalogEntry => ({
  name,
  url: `https://git.example/${name}.git`,
  description: '',
  task: 'classification',
  tags: [],
  license: 'MIT',
  ...over,
});

const bundled: SearchableCatalog = {
  id: 'bundled',
  name: 'Examples',
  bundled: true,
  entries: [
    e('iris-classifier', { description: 'Classifies iris flowers', tags: ['tabular', 'Flowers'], size: 5_000 }),
    e('mnist-digits', { task: 'image', description: 'Handwritten digits', tags: ['images'], license: 'MIT AND CC-BY-SA-3.0', size: 800_000 }),
  ],
};
const lab: SearchableCatalog = {
  id: 'c1',
  name: 'Lab',
  bundled: false,
  entries: [
    e('auto-mpg', { task: 'regression', description: 'Fuel economy of cars', tags: ['tabular'], license: 'CC-BY-4.0', size: 11_000 }),
    e('flower-gan', { task: 'image', description: 'Generates iris pictures', tags: ['gan'], license: 'Apache-2.0' }),
    e('iris-classifier', { url: 'https://git.example/iris-classifier', description: 'a copy listed again' }),
    e('sentiment', { task: 'text', description: 'Movie reviews', tags: ['nlp'], license: 'apache-2.0', size: 2_000_000 }),
  ],
};

const names = (query: Parameters<typeof searchCatalogs>[1]) => searchCatalogs([bundled, lab], query).map((h) => h.entry.name);

describe('searchCatalogs', () => {
  it('lists every entry once, by name, each with the catalog it came from (bundled first for a shared URL)', () => {
    const hits = searchCatalogs([bundled, lab]);
    expect(hits.map((h) => h.entry.name)).toEqual(['auto-mpg', 'flower-gan', 'iris-classifier', 'mnist-digits', 'sentiment']);
    const iris = hits.find((h) => h.entry.name === 'iris-classifier')!;
    expect(iris.catalog).toEqual({ id: 'bundled', name: 'Examples', bundled: true });
    expect(iris.entry.description).toBe('Classifies iris flowers');
    expect(hits.find((h) => h.entry.name === 'sentiment')!.catalog).toEqual({ id: 'c1', name: 'Lab', bundled: false });
  });

  it('matches the query case-insensitively in name, description and tags, name matches first', () => {
    expect(names({ query: 'IRIS' })).toEqual(['iris-classifier', 'flower-gan']);
    expect(names({ query: 'flowers' })).toEqual(['iris-classifier']); // a tag, and the description
    expect(names({ query: 'flower' })).toEqual(['flower-gan', 'iris-classifier']);
    expect(names({ query: 'nlp' })).toEqual(['sentiment']);
    expect(names({ query: 'iris pictures' })).toEqual(['flower-gan']); // every word must match
    expect(names({ query: 'nothing-like-this' })).toEqual([]);
  });

  it('filters by task, tags (all of them), license id and size, ANDed', () => {
    expect(names({ task: 'image' })).toEqual(['flower-gan', 'mnist-digits']);
    expect(names({ tags: ['tabular'] })).toEqual(['auto-mpg', 'iris-classifier']);
    expect(names({ tags: ['TABULAR', 'flowers'] })).toEqual(['iris-classifier']);
    expect(names({ license: 'apache-2.0' })).toEqual(['flower-gan', 'sentiment']);
    expect(names({ license: 'CC-BY-SA-3.0' })).toEqual(['mnist-digits']);
    expect(names({ license: 'mit' })).toEqual(['iris-classifier', 'mnist-digits']);
    // An entry of unknown size is not known to fit, so a size limit leaves it out.
    expect(names({ maxSize: 1_000_000 })).toEqual(['auto-mpg', 'iris-classifier', 'mnist-digits']);
    expect(names({ maxSize: 1_000_000, task: 'image', license: 'MIT' })).toEqual(['mnist-digits']);
    expect(names({ maxSize: 1_000_000, tags: ['tabular'], query: 'fuel' })).toEqual(['auto-mpg']);
    expect(names({ task: 'text', maxSize: 1_000 })).toEqual([]);
  });
});
