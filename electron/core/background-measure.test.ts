// `auto`'s backends measured in the background once a project opens: the figures land in the probe cache with no
// run recorded, a second request for the same model measures nothing, and the first `auto` run chooses by them,
// saying what it did before its first epoch (phase events: measuring, then started).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../shared/contract.js';
import { createServices, type Services } from './services.js';
import { makeTabularProject, tempDir } from './testing/git-fixtures.js';

let root: string;
let services: Services;
let projectId: string;
const probeFile = () => path.join(root, 'home', 'backend-probes.json');

beforeAll(async () => {
  root = tempDir();
  services = createServices({ home: path.join(root, 'home'), version: 'test' });
  projectId = (await services.projects.add(makeTabularProject(path.join(root, 'src', 'blobs'), 2))).id;
});
afterAll(() => {
  services.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('measuring in the background', () => {
  it('fills the probe cache once per model without a run, and the first auto run then measures nothing', async () => {
    const seen: EventMessage[] = [];
    const off = services.events.subscribe((m) => seen.push(m));
    expect(await services.dispatch('training:measure', { projectId })).toEqual({ ok: true, value: { started: true } });
    expect(await services.dispatch('training:measure', { projectId })).toEqual({ ok: true, value: { started: false } });
    // An auto run started meanwhile waits for the measurement and says so.
    const { finished } = await services.training.start(projectId, { backend: 'auto' });
    const run = await finished;
    off();
    expect(run.status, run.error ?? '').toBe('succeeded');
    const cache = JSON.parse(fs.readFileSync(probeFile(), 'utf8')) as Record<string, { probes: { backend: string; samplesPerSecond: number | null }[] }>;
    const entry = Object.values(cache)[0]!;
    expect(entry.probes.find((p) => p.backend === 'wasm')!.samplesPerSecond).toBeGreaterThan(0);
    expect(run.probes?.map((p) => p.backend)).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    const phases = seen.filter((m) => m.name === 'training:phase').map((m) => m.payload as { step: string; backend: string | null });
    expect(phases[0]).toMatchObject({ step: 'measuring', backend: 'in the background' });
    // The run's own process found the figures cached: it loaded the data and measured no backend itself.
    expect(phases.slice(1).filter((p) => p.step === 'measuring')).toEqual([]);
    expect(services.training.list(projectId)).toHaveLength(1);
    const names = seen.map((m) => m.name);
    expect(names.indexOf('training:started')).toBeLessThan(names.indexOf('training:progress'));
  });
});
