// The backend names are defined once: the menu, "This machine" and the contract all follow shared/backends.ts.
import { describe, expect, it } from 'vitest';
import { BACKEND_MENU_ORDER, CHROMIUM_BACKENDS, PROCESS_BACKENDS, RUN_BACKENDS, runsIn } from './backends.js';
import { schemasOf } from './contract.js';

describe('the backend names', () => {
  it('the menu offers every backend a run may ask for, once each', () => {
    expect([...BACKEND_MENU_ORDER].sort()).toEqual([...RUN_BACKENDS].sort());
  });

  it('training:start accepts exactly those backends, and trainer:claim only the Chromium ones', () => {
    const start = (backend: string) => schemasOf('training:start').request.safeParse({ projectId: 'p', backend }).success;
    for (const backend of RUN_BACKENDS) expect(start(backend)).toBe(true);
    expect(start('tensorflow')).toBe(false);
    const claimed = (backends: string[]) => schemasOf('trainer:claim').response.shape.backends.safeParse(backends).success;
    expect(claimed([...CHROMIUM_BACKENDS])).toBe(true);
    expect(claimed(['wasm'])).toBe(false);
  });

  it('each backend runs in the training process or in Chromium, never both', () => {
    expect(PROCESS_BACKENDS.map(runsIn)).toEqual(PROCESS_BACKENDS.map(() => 'training process'));
    expect(CHROMIUM_BACKENDS.map(runsIn)).toEqual(['chromium', 'chromium']);
  });
});
