import { describe, expect, it } from 'vitest';
import { bundledName, CatalogFile, catalogJsonSchema, isCatalogEntryUrl, licenseIds, parseCatalogJson } from './catalog.js';

const entry = (over: Record<string, unknown> = {}) => ({
  name: 'iris',
  url: 'https://git.example/iris.git',
  description: 'Iris species',
  task: 'classification',
  license: 'MIT',
  ...over,
});

describe('catalog.json schema', () => {
  it('accepts a minimal catalog and fills in defaults; extra keys from newer versions are ignored', () => {
    const result = parseCatalogJson(JSON.stringify({ name: 'Lab', entries: [entry({ future: true })] }), 'catalog.json');
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.catalog.entries[0]).toEqual({ ...entry(), tags: [] });
  });

  it('names the key (zod path) and the file of each problem', () => {
    const text = JSON.stringify({ name: 'Lab', entries: [entry(), { ...entry(), url: undefined }, entry({ task: 'poetry' })] });
    const result = parseCatalogJson(text, 'catalog.json of file:///srv/lab');
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.issues.map((i) => i.key)).toEqual(['entries.1.url', 'entries.2.task']);
    expect(result.message).toMatch(/^catalog\.json of file:\/\/\/srv\/lab is invalid: entries\.1\.url: required/);
    expect(result.message).toContain('entries.2.task:');
  });

  it('reports JSON syntax errors with the file, and a missing entries list at its key', () => {
    const broken = parseCatalogJson('{ "name": "x", ', 'lab/catalog.json');
    expect(broken.kind === 'invalid' && broken.message).toMatch(/^lab\/catalog\.json is not valid JSON/);
    const noEntries = parseCatalogJson('{ "name": "x" }', 'lab/catalog.json');
    expect(noEntries.kind === 'invalid' && noEntries.issues.map((i) => i.key)).toEqual(['entries']);
  });

  it('takes git URLs and safe bundled: names, and refuses transport helpers, paths and unsafe names', () => {
    for (const ok of ['https://h.example/a/b.git', 'ssh://git@h.example/a', 'git@github.com:a/b.git', 'file:///srv/x', 'bundled:iris-classifier']) {
      expect(isCatalogEntryUrl(ok), ok).toBe(true);
    }
    for (const bad of ['ext::sh -c evil', '/home/me/repo', 'bundled:../x', 'bundled:a/b', 'bundled:..', 'bundled:', 'javascript:alert(1)']) {
      expect(isCatalogEntryUrl(bad), bad).toBe(false);
    }
    // Control and bidi characters fake what a terminal shows (OSC 8 links, OSC 52 clipboard writes): never a URL.
    for (const bad of ['https://h.example/\x1b]8;;x\x07a.git', 'https://h.example/a\x07.git', 'git@h.example:a\u202e.git', 'https://h.example/\u009b2J']) {
      expect(isCatalogEntryUrl(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(bundledName('bundled:mnist-digits')).toBe('mnist-digits');
    expect(bundledName('bundled:../x')).toBeNull();
    expect(bundledName('bundled:a\\b')).toBeNull();
    expect(CatalogFile.safeParse({ name: 'x', entries: [entry({ url: 'bundled:../x' })] }).success).toBe(false);
  });

  it('caps the README excerpt at 2,000 characters', () => {
    expect(CatalogFile.safeParse({ name: 'x', entries: [entry({ readme: 'a'.repeat(2000) })] }).success).toBe(true);
    expect(CatalogFile.safeParse({ name: 'x', entries: [entry({ readme: 'a'.repeat(2001) })] }).success).toBe(false);
  });

  it('reads SPDX expressions into ids, and exports a JSON Schema for editors', () => {
    expect(licenseIds('MIT AND (CC-BY-4.0 OR Apache-2.0)')).toEqual(['MIT', 'CC-BY-4.0', 'APACHE-2.0']);
    const schema = catalogJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'entries']));
  });
});
