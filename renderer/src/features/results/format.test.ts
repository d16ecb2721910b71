// What the Results & credit view prints: signs a person can trust (no "−0.000"), the progress line, colours that
// stay with an author.
import { expect, it } from 'vitest';
import { authorColors } from './author-colors';
import { deltaText, progressText, signed } from './format';
import { significanceText } from './significance';

it('writes deltas with a true minus sign and never a signed zero', () => {
  expect(signed(-0.6667)).toBe('−0.667');
  expect(signed(0.1)).toBe('+0.100');
  expect(signed(-0.0001)).toBe('0.000');
  expect(signed(0)).toBe('0.000');
  expect(deltaText({ mean: -0.5, low: -0.9, high: 0.0004 })).toBe('−0.500 [−0.900, 0.000]');
});

it('says "37/64 trainings, ETA …" in the training phase and names the other phases', () => {
  expect(progressText({ projectId: 'p', phase: 'training', done: 37, total: 64, etaSeconds: 11.2 })).toBe('37/64 trainings, ETA 12 s');
  expect(progressText({ projectId: 'p', phase: 'training', done: 1, total: 64, etaSeconds: 125 })).toBe('1/64 trainings, ETA 2 min 5 s');
  expect(progressText({ projectId: 'p', phase: 'training', done: 0, total: 64, etaSeconds: null })).toBe('0/64 trainings');
  expect(progressText({ projectId: 'p', phase: 'history', done: 0, total: 0, etaSeconds: null })).toMatch(/history/);
});

it('marks significance in words and a symbol, not colour alone', () => {
  expect(significanceText(true, -0.6)).toBe('▼ significant');
  expect(significanceText(true, 0.6)).toBe('▲ significant');
  expect(significanceText(false, -0.6)).toBe('within noise');
  expect(significanceText(false, 0, false)).toBe('not trained');
});

it('gives each author one colour, in the order they first appear', () => {
  const colors = authorColors([
    { email: 'a@x', author: 'A' },
    { email: 'b@x', author: 'B' },
    { email: 'a@x', author: 'A' },
  ]);
  expect(colors.map((c) => c.email)).toEqual(['a@x', 'b@x']);
  expect(new Set(colors.map((c) => c.color)).size).toBe(2);
});
