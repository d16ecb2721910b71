// The training panel keeps its promises, in Chromium against `serve` (issue #18): the backend menu offers only what
// exists; a software renderer is called one, and a forced backend that fell back says so; `auto` measures in the
// background and a run says what it is doing before its first epoch; `metrics.primary` leads the status line, the
// chart and the runs list; after checking out an old commit the HEAD run is not passed off as its result; a run's
// warnings show while it trains.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { blobsCsv, makeRepo, tempDir } from '../electron/core/testing/git-fixtures.js';
import { addProject } from './support/add-project.js';
import { seriousViolations } from './support/axe.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess;

const layers = [
  { type: 'dense', units: 8, activation: 'relu' },
  { type: 'dense', units: 3, activation: 'softmax' },
];

/** blobs with a constant column, which the data loader reports as a warning when the run starts. */
const withConstantColumn = (csv: string) =>
  csv
    .trimEnd()
    .split('\n')
    .map((line, i) => `${i === 0 ? 'always' : '1'},${line}`)
    .join('\n') + '\n';

function project(name: string, options: { epochs: number; rows?: number; metrics?: unknown; units?: number }) {
  return makeRepo(path.join(root, 'src', name), [
    {
      author: 'Ada Lovelace',
      email: 'ada@example.org',
      message: `Add ${name}`,
      files: {
        'data/train.csv': withConstantColumn(blobsCsv(options.rows ?? 150, 4, 3, 5)),
        'modelcommons.json': JSON.stringify({
          name,
          task: 'classification',
          data: { train: 'data/train.csv', label: 'label', split: { test: 0.2, seed: 1 } },
          model: { layers: options.units ? [{ type: 'dense', units: options.units, activation: 'relu' }, layers[1]] : layers },
          training: { epochs: options.epochs, batchSize: 16, learningRate: 0.02, seed: 3 },
          ...(options.metrics ? { metrics: options.metrics } : {}),
        }),
      },
    },
  ]);
}

test.beforeAll(async () => {
  root = tempDir('mc-e2e-training-promises-');
  serve = await startServe(path.join(root, 'home'));
});
test.afterAll(async () => {
  await serve.stop();
  fs.rmSync(root, { recursive: true, force: true });
});


/** Calls the contract as the page does (same origin, its token cookie), for what the menu rightly no longer offers. */
async function invoke(page: Page, channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> {
  return (await page.evaluate(
    async ([c, body]) => (await fetch(`/api/invoke/${c}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).json(),
    [channel, request] as const,
  )) as { ok: boolean; value?: unknown; error?: { message: string } };
}


const trainOn = async (page: Page, backend: string) => {
  await page.getByRole('combobox', { name: 'Backend' }).selectOption(backend);
  await page.getByRole('button', { name: 'Train' }).click();
};

test('the backend menu offers what exists and names a software renderer; a forced backend that falls back says so', async ({ page }) => {
  await page.goto(serve.url);
  await addProject(page, project('menu', { epochs: 2 }), 'menu');
  const menu = page.getByRole('combobox', { name: 'Backend' });
  // tfjs-node is not installed here: shown, disabled, with the install line; wasm and cpu are offered.
  await expect(menu.locator('option[value="tfjs-node"]')).toBeDisabled();
  await expect(menu.locator('option[value="tfjs-node"]')).toHaveText(/unavailable: @tensorflow\/tfjs-node is not installed \(npm install @tensorflow\/tfjs-node\)/);
  await expect(menu.locator('option[value="wasm"]')).toBeEnabled();
  await expect(menu.locator('option[value="cpu"]')).toBeEnabled();
  // Every disabled entry says why; every enabled GPU entry says what it runs on.
  for (const option of await menu.locator('option').all()) {
    const text = (await option.textContent()) ?? '';
    if (await option.isDisabled()) expect(text).toMatch(/ — unavailable: \S/);
  }
  for (const gpu of ['webgl', 'webgpu']) {
    const option = menu.locator(`option[value="${gpu}"]`);
    if (!(await option.isDisabled())) await expect(option).toHaveText(/software renderer, not a GPU|the GPU, through Chromium/);
  }

  // This Chromium has no GPU: whatever WebGL/WebGPU trains on is SwiftShader, and the run says so plainly.
  const projects = await invoke(page, 'projects:list', {});
  const projectId = (projects.value as { id: string; name: string }[]).find((p) => p.name === 'menu')!.id;
  const webglEnabled = !(await menu.locator('option[value="webgl"]').isDisabled());
  const webgpuEnabled = !(await menu.locator('option[value="webgpu"]').isDisabled());
  // Under --disable-gpu at least one of the two checks below runs: SwiftShader's WebGL, or WebGPU without an adapter.
  expect(webglEnabled || !webgpuEnabled).toBe(true);
  if (webglEnabled) {
    await trainOn(page, 'webgl');
    await expect(page.getByRole('table', { name: 'Test metrics' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText(/^Trained on software renderer, not a GPU \(WebGL 2, .*SwiftShader/)).toBeVisible();
  }
  // Forced WebGPU where there is no adapter (the menu no longer offers it then): the run says it fell back.
  if (!webgpuEnabled) {
    const started = await invoke(page, 'training:start', { projectId, backend: 'webgpu', epochs: 1 });
    expect(started.ok).toBe(true);
    // This page is the Chromium context that trains it; the run appears in the list once it starts.
    await expect(page.getByRole('table', { name: 'Runs' }).getByRole('row')).toHaveCount(3);
    await page.getByRole('table', { name: 'Runs' }).getByRole('row').nth(1).getByRole('button').first().click();
    await expect(page.getByRole('table', { name: 'Test metrics' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText(/^Trained on .* — fell back from webgpu: webgpu unavailable: /)).toBeVisible();
  }
});

test('metrics.primary leads the status line, the chart and the runs list; warnings show while the run trains', async ({ page }) => {
  await page.goto(serve.url);
  await addProject(page, project('primary', { epochs: 3, metrics: { primary: 'f1_macro' } }), 'primary');
  await trainOn(page, 'wasm');
  await expect(page.getByRole('table', { name: 'Test metrics' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('epoch-line')).toHaveText(/^Epoch 3\/3 — loss \d\.\d{4} — f1_macro \d\.\d{4} — accuracy \d\.\d{4}$/);
  await expect(page.getByRole('img', { name: /^Loss and f1_macro per epoch/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Runs' }).getByRole('row').nth(1)).toContainText(/f1_macro \d\.\d{4}/);

  // A long run: its warning (the constant column) is on screen while it trains, before it ends.
  await addProject(page, project('warned', { epochs: 3000, rows: 600 }), 'warned');
  await trainOn(page, 'wasm');
  await expect(page.getByTestId('epoch-line')).toContainText(/Epoch \d+\/3000/, { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Cancel training' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Warnings' })).toContainText('always');
  await expect(page.getByTestId('device-line')).toContainText('Training on CPU (WebAssembly');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Cancel training' }).click();
  await expect(page.getByText('Run cancelled: Cancelled')).toBeVisible();
});

test('auto measures in the background once the project is open, and a run says what it is doing meanwhile', async ({ page }) => {
  await page.goto(serve.url);
  await addProject(page, project('measured', { epochs: 2, units: 12 }), 'measured');
  // Train at once: the background measurement of this model has just begun; the run waits for it and says so.
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('epoch-line')).toContainText(/Measuring backends: /);
  await expect(page.getByRole('table', { name: 'Test metrics' })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('probes')).toContainText(/wasm [\d,]+ samples\/s/);

  // A second model shape, opened and left alone: its figures are measured (and cached) without any click on Train.
  const probeFile = path.join(root, 'home', 'backend-probes.json');
  const measuredShapes = () => Object.keys(JSON.parse(fs.readFileSync(probeFile, 'utf8')) as object).length;
  const before = measuredShapes();
  await addProject(page, project('idle', { epochs: 2, units: 20 }), 'idle');
  // Chromium's figures and the training process's: two new entries, one per kind of context.
  await expect.poll(measuredShapes, { timeout: 60_000 }).toBe(before + 2);
  const machine = page.locator('details.machine');
  await machine.locator('summary').click();
  await expect(machine.getByRole('row', { name: /^wasm/ })).toContainText(/samples\/s in the last probe/);
  const listed = (await invoke(page, 'projects:list', {})).value as { id: string; name: string }[];
  const runs = await invoke(page, 'runs:list', { projectId: listed.find((p) => p.name === 'idle')!.id });
  expect(runs.value).toEqual([]);
});

test('after checking out an old commit, the HEAD run is not shown as its result', async ({ page }) => {
  const dir = project('history', { epochs: 2 });
  fs.writeFileSync(path.join(dir, 'NOTES.md'), 'a second commit\n');
  execFileSync('git', ['-C', dir, 'add', '.']);
  execFileSync('git', ['-C', dir, '-c', 'user.name=Ada', '-c', 'user.email=ada@example.org', 'commit', '-q', '-m', 'Notes']);
  const first = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD~1']).toString().trim();
  const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD']).toString().trim();

  await page.goto(serve.url);
  await addProject(page, dir, 'history');
  await trainOn(page, 'wasm');
  await expect(page.getByRole('table', { name: 'Test metrics' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(`at commit ${head.slice(0, 8)}`)).toBeVisible();

  await page.getByRole('textbox', { name: 'Commit or tag' }).fill(first);
  await page.getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByTestId('other-commit')).toHaveText(`No run of the checked-out commit ${first.slice(0, 8)} yet: its earlier runs are in the list below.`);
  await expect(page.getByRole('table', { name: 'Test metrics' })).toHaveCount(0);
  // Chosen by hand, the HEAD run is shown marked as another commit's.
  await page.getByRole('table', { name: 'Runs' }).getByRole('row').nth(1).getByRole('button').first().click();
  await expect(page.getByTestId('other-commit')).toHaveText(`This run trained commit ${head.slice(0, 8)}, not the one checked out (${first.slice(0, 8)}).`);
  expect(await seriousViolations(page)).toEqual([]);
});
