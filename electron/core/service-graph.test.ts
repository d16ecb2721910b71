// What a quick command costs: listing projects and searching the catalogs go through the validated dispatcher
// without loading the training, impact and forge services; the first request that needs one loads them, once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceGraph } from './service-graph.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

function graph() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-graph-'));
  homes.push(home);
  const loads: string[] = [];
  const services = new ServiceGraph({ home, version: 'test' }, () => {
    loads.push('on-demand-services');
    return import('./on-demand-services.js');
  });
  return { home, services, loads };
}

describe('the service graph', () => {
  it('lists projects and searches catalogs without loading the on-demand services, and loads them once when needed', async () => {
    const { services, loads } = graph();
    try {
      expect(await services.dispatch('projects:list', {})).toEqual({ ok: true, value: [] });
      const search = await services.dispatch('catalog:search', { query: 'nothing matches this' });
      expect(search).toEqual({ ok: true, value: { hits: [], skipped: [] } });
      expect(loads).toHaveLength(0);

      const missing = await services.dispatch('runs:list', { projectId: 'no-such-project' });
      expect(missing.ok).toBe(false);
      await services.dispatch('impact:identities', { projectId: 'no-such-project' });
      expect(loads).toHaveLength(1);
    } finally {
      services.close();
    }
  });

  it('still validates each request against the contract before any service is built', async () => {
    const { services, loads } = graph();
    try {
      const reply = await services.dispatch('training:start', { projectId: '' });
      expect(reply).toMatchObject({ ok: false, error: { kind: 'invalid-request', message: expect.stringMatching(/^training:start: projectId: /) } });
      expect(await services.dispatch('no:such', {})).toMatchObject({ ok: false, error: { message: 'Unknown channel "no:such"' } });
      expect(loads).toHaveLength(0);
    } finally {
      services.close();
    }
  });

  it('opens the store only when something reads it', () => {
    const { home, services } = graph();
    expect(fs.existsSync(path.join(home, 'modelcommons.db'))).toBe(false);
    expect(services.projects.list()).toEqual([]);
    expect(fs.existsSync(path.join(home, 'modelcommons.db'))).toBe(true);
    services.close();
  });
});
