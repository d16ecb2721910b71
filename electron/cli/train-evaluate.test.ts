// `modelcommons train <path> --evaluate`: the model file's shipped weights scored on the test rows, no epoch.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/git-fixtures.js';
import { makeShippedModelProject } from '../core/testing/shipped-model-project.js';

const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url));
const home = tempDir('mc-cli-evaluate-');
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('modelcommons train --evaluate', () => {
  it('prints the shipped model\'s test metrics with an empty history', () => {
    const repo = makeShippedModelProject(path.join(home, 'src', 'shipped'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', cliSource, 'train', repo, '--evaluate', '--backend', 'cpu', '--json'], {
      env: { ...process.env, MODELCOMMONS_HOME: path.join(home, 'data') },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as { history: unknown[]; metrics: Record<string, number> };
    expect(run.history).toEqual([]);
    expect(run.metrics.accuracy).toBe(1);
    expect(r.stderr).toContain('warning: model.evaluate: the shipped model is evaluated on the test rows as it is, without training');
  });
});
