// Results & credit in Chromium against `serve`, on a scripted history with planted effects (the model-impact
// tests' history): Start, cancel mid-run, a reload, Start again resumes from the stored trainings; the chart has a
// point per commit, the docs-only author's Shapley is exactly 0, and with 3 seeds the label-corrupting commit is
// marked significant and negative. Clicking a point or a commit row opens its summary with the runs behind it (one
// per seed); a person highlights their commits; Bisect names the label-corrupting commit and its author; axe-core
// finds nothing serious in dark or light mode. A reload shows the last analysis and bisect again (from the store),
// and in the Contributors view the δ slider (the model term M, from the Shapley values) reorders people.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../electron/core/testing/git-fixtures.js';
import { plantedHistory, type PlantedHistory } from '../electron/core/testing/model-impact-history.js';
import { seriousViolations } from './support/axe.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let root: string;
let serve: ServeProcess;
let history: PlantedHistory;

test.beforeAll(async () => {
  root = tempDir('mc-e2e-results-');
  history = plantedHistory();
  serve = await startServe(path.join(root, 'home'));
});
test.afterAll(async () => {
  await serve.stop();
  history.repo.remove();
  fs.rmSync(root, { recursive: true, force: true });
});


/** Fills the controls and presses Start. */
async function start(page: Page, seeds: number) {
  const form = page.getByRole('form', { name: 'Model impact analysis' });
  await form.getByLabel('Seeds').fill(String(seeds));
  await form.getByLabel('Method').selectOption('all');
  await form.getByLabel('Workers').fill('1');
  await form.getByRole('button', { name: 'Start' }).click();
}

/** The "N trainings reused" of the finished analysis with this many seeds (not of the one shown before it). */
async function reused(page: Page, seeds: number): Promise<number> {
  await expect(page.getByText(`(${seeds} seeds)`)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  const text = await page.getByRole('status').filter({ hasText: 'trainings reused' }).innerText({ timeout: 60_000 });
  return Number(/(\d+) trainings reused/.exec(text)![1]);
}

test('Results & credit: start, cancel, resume after a reload; planted effects on the curve and in the table', async ({ page }) => {
  const { sha } = history;
  await page.goto(serve.url);
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(history.repo.dir);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: path.basename(history.repo.dir), level: 2 })).toBeVisible();
  await page.getByRole('tab', { name: 'Results & credit' }).click();
  await expect(page).toHaveURL(/#\/project\/[^/]+\/results$/);

  // Start with 2 seeds; cancel once a training has finished (one worker keeps the run long enough to catch).
  await start(page, 2);
  const bar = await page.getByRole('progressbar').elementHandle();
  await page.waitForFunction((el) => /[1-9]\d*\/\d+ trainings/.test(el?.getAttribute('aria-label') ?? ''), bar, { polling: 'raf' });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toContainText('cancelled');
  await expect(page.getByRole('progressbar')).toHaveCount(0);

  // A reload keeps the tab; Start again resumes from the trainings stored before the cancel.
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Results & credit' })).toHaveAttribute('aria-selected', 'true');
  await start(page, 2);
  expect(await reused(page, 2)).toBeGreaterThan(0);

  const chart = page.getByRole('group', { name: /accuracy per commit/ });
  await expect(chart.getByRole('button')).toHaveCount(8); // one point per commit of the history
  await expect(chart.locator('.point.docs-only')).toHaveCount(3); // before the manifest, the README, the CI config: hollow
  await expect(chart.locator(`.point[data-sha="${sha.docs}"]`)).toHaveClass(/docs-only/);
  await expect(page.getByText(/Evaluated on the test split at [0-9a-f]{8} \(\d+ rows\)/)).toBeVisible();
  await expect(page.getByText(/seed noise at HEAD: sd/)).toBeVisible();
  // The docs-only author is a null player: exactly 0, not merely small.
  const dan = page.locator('.results-contributors tr[data-email="dan@example.org"]');
  await expect(dan.locator('td.shapley')).toHaveAttribute('data-shapley', '0');
  await expect(dan).toContainText('within noise');

  // 2 seeds give the paired t-test one degree of freedom (critical t 12.7): 3 seeds, reusing the first two, call it.
  await start(page, 3);
  expect(await reused(page, 3)).toBeGreaterThan(0);
  const corruptRow = page.locator(`.results-commits tr[data-sha="${sha.corrupt}"]`);
  await expect(corruptRow).toContainText('▼ significant');
  await expect(corruptRow.locator('td').nth(5)).toHaveText(/^−0\.\d+/);
  await expect(chart.locator(`.point[data-sha="${sha.corrupt}"]`)).toHaveAttribute('aria-label', /Δ −0\.\d+, beyond seed noise/);
  await expect(page.locator(`.results-commits tr[data-sha="${sha.fix}"]`)).toContainText('▲ significant');

  // A point opens the commit's summary; so does a commit row, from the keyboard.
  await chart.locator(`.point[data-sha="${sha.corrupt}"] .dot`).click();
  const summary = page.getByRole('region', { name: /Commit/ });
  await expect(summary).toContainText(sha.corrupt);
  await expect(summary).toContainText('Relabel the data');
  await expect(summary).toContainText('Mallory Labels');
  // The runs behind the point: one per seed.
  await expect(summary.getByRole('table', { name: /Runs behind this point: 3 seeds/ }).locator('tbody tr[data-seed]')).toHaveCount(3);
  // The README's picture (dark mode, the configured default): RESULTS_SCREENSHOT=docs/results.png.
  if (process.env.RESULTS_SCREENSHOT) {
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.screenshot({ path: process.env.RESULTS_SCREENSHOT });
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  await page.getByRole('button', { name: `Commit ${sha.docs.slice(0, 8)}: show its summary` }).focus();
  await page.keyboard.press('Enter');
  await expect(summary).toContainText(sha.docs);
  await expect(summary).toContainText(/no: it changes nothing training reads/);

  // A person highlights their commits on the curve (the fix credits Ada as co-author).
  await page.locator('.results-contributors').getByRole('button', { name: 'Ada Lovelace' }).click();
  await expect(chart.locator('.point.highlight')).toHaveCount(2);
  await expect(chart.locator(`.point[data-sha="${sha.fix}"]`)).toHaveClass(/highlight/);

  // Bisect over the drop: the first bad commit is the relabelling, by Mallory.
  const drops = page.getByRole('region', { name: 'Drops beyond seed noise' });
  await drops.getByRole('button', { name: 'Bisect' }).click();
  const outcome = drops.getByTestId('bisect-outcome');
  await expect(outcome).toContainText('First bad commit', { timeout: 60_000 });
  await expect(outcome.locator(`[data-sha="${sha.corrupt}"]`)).toHaveText(sha.corrupt.slice(0, 8));
  await expect(outcome).toContainText('Mallory Labels');

  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), `results, ${scheme} mode`).toEqual([]);
  }

  // The people with a positive Shapley value, best first: what δ alone ranks by.
  const shapley = await page.locator('.results-contributors tbody tr').evaluateAll((rows) =>
    rows.map((r) => ({ email: r.getAttribute('data-email')!, value: Number(r.querySelector('td.shapley')?.getAttribute('data-shapley') ?? 'NaN') })),
  );
  const helped = shapley.filter((p) => p.value > 0).sort((a, b) => b.value - a.value).map((p) => p.email);
  expect(helped.length).toBeGreaterThan(1);

  // A reload reads the last analysis and its bisect back from the store.
  await page.reload();
  await expect(page.getByText(/The last analysis, from .* \(kept in the store\)/)).toBeVisible();
  await expect(chart.getByRole('button')).toHaveCount(8);
  await expect(page.getByText('(3 seeds)')).toBeVisible();
  await expect(page.getByTestId('bisect-outcome').locator(`[data-sha="${sha.corrupt}"]`)).toBeVisible();

  // Contributors: with a model analysis, δ weighs M; α = β = γ = 0 and δ = 1 rank people by their Shapley values.
  await page.getByRole('tab', { name: 'Contributors' }).click();
  const rows = page.locator('.impact-table tbody tr[aria-rowindex]');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/M: each person's positive Shapley value on accuracy/)).toBeVisible();
  const order = () => rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.name-cell .mono')?.textContent ?? ''));
  const before = await order();
  for (const label of ['α code', 'β docs & data', 'γ interaction']) await page.getByLabel(label, { exact: true }).fill('0');
  await page.getByLabel('δ model', { exact: true }).fill('1');
  await expect(page.locator('.weights output').last()).toHaveText('1.00');
  const after = await order();
  expect(after).not.toEqual(before);
  // Emails there are the contributor report's (the mailmap's), the same identities as the model's. Ada and Grace
  // are symmetric players (the data needs the model and the reverse), so equal values may come in either order.
  const value = new Map(shapley.map((p) => [p.email, p.value]));
  expect(new Set(after.slice(0, helped.length))).toEqual(new Set(helped));
  const ranked = after.slice(0, helped.length).map((e) => value.get(e)!);
  expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
  await expect(rows.first().locator('td').nth(1)).not.toHaveText('0.0%');
});
