import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest.js';
import { trainModel } from '../train-model.js';
import { loadTabularData } from './index.js';
import { fitTextEncoder, tokenize } from './text.js';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-text-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function parse(data: Record<string, unknown>, layers: unknown[] = [{ type: 'dense', units: 2 }]) {
  return Manifest.safeParse({ name: 'text', task: 'classification', data, model: { layers } });
}

describe('tokenize', () => {
  it('lowercases and splits on anything but Unicode letters and digits', () => {
    expect(tokenize("Ça marche, l'été 2024! NAÏVE—Straße x2")).toEqual(['ça', 'marche', 'l', 'été', '2024', 'naïve', 'straße', 'x2']);
    expect(tokenize('  ...  ')).toEqual([]);
  });
});

describe('fitTextEncoder', () => {
  it('keeps the most frequent training tokens (ties by token), 0 pads, 1 is unknown, and cuts at maxLength', () => {
    const texts = ['b a c', 'a b', 'd', 'zzz zzz zzz zzz a'];
    const encoder = fitTextEncoder({ column: 't', maxLength: 4, vocabulary: 2 }, texts, [0, 1, 2]);
    expect(encoder.tokens).toEqual(['a', 'b']); // a, b twice; c, d once
    expect(encoder.featureNames).toEqual(['t#0', 't#1', 't#2', 't#3']);
    expect([...encoder.encode(texts, [0, 1, 2, 3])]).toEqual([3, 2, 1, 0, 2, 3, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
  });
});

describe('data.text', () => {
  it('fits the vocabulary on the training split only', async () => {
    const dir = project({
      'train.csv': 'review,y\nGood good film,p\nbad film,n\n',
      'test.csv': 'review,y\nunseen unseen unseen good,p\n',
    });
    const manifest = Manifest.parse({
      name: 'text',
      task: 'classification',
      data: { train: 'train.csv', test: 'test.csv', label: 'y', text: { column: 'review', maxLength: 5, vocabulary: 10 }, split: { validation: 0 } },
      model: { layers: [{ type: 'dense', units: 2 }] },
    });
    const data = await loadTabularData(dir, manifest);
    // Training vocabulary: film 2, good 2, bad 1 → ids 2 (film), 3 (good), 4 (bad); "unseen" is unknown (1).
    expect(data.nFeatures).toBe(5);
    expect([...data.xTrain]).toEqual([3, 3, 2, 0, 0, 4, 2, 0, 0, 0]);
    expect([...data.xTest]).toEqual([1, 1, 1, 3, 0]);
    expect(data.normalization.kind).toBe('none');
  });

  it('keeps a numeric-looking text as written, and is refused with images, features or impute', async () => {
    const dir = project({ 'd.csv': 'review,y\n1.50,p\n1.50,q\n' });
    const data = await loadTabularData(
      dir,
      Manifest.parse({
        name: 'text',
        task: 'classification',
        data: { train: 'd.csv', test: 'd.csv', label: 'y', text: { column: 'review', maxLength: 3, vocabulary: 5 }, split: { validation: 0 } },
        model: { layers: [{ type: 'dense', units: 2 }] },
      }),
    );
    expect([...data.xTrain]).toEqual([2, 3, 0, 2, 3, 0]); // "1" and "50" (twice each; ties by token: "1" < "50")
    const text = { column: 'review', maxLength: 3, vocabulary: 5 };
    expect(parse({ train: 'd.csv', label: 'y', text }).success).toBe(true);
    expect(parse({ images: { train: 'img', size: [8, 8] }, text }).success).toBe(false);
    expect(parse({ train: 'd.csv', label: 'y', features: ['review'], text }).success).toBe(false);
    expect(parse({ train: 'd.csv', label: 'y', impute: 'mostFrequent', text }).success).toBe(false);
    expect(parse({ train: 'd.csv', label: 'review', text }).success).toBe(false);
  });

  it('an embedding model trains on tokenized reviews to accuracy above 0.8 (wasm)', async () => {
    const good = ['great', 'wonderful', 'loved', 'excellent', 'superb', 'delightful'];
    const bad = ['awful', 'boring', 'hated', 'terrible', 'dull', 'worst'];
    const filler = ['the', 'film', 'was', 'a', 'story', 'acting', 'plot', 'and', 'really', 'quite'];
    const rows = ['review,sentiment'];
    let state = 12345;
    const pick = <T>(items: T[]): T => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return items[state % items.length]!;
    };
    for (let i = 0; i < 240; i++) {
      const positive = i % 2 === 0;
      const words = Array.from({ length: 6 }, () => pick(filler));
      words.splice(state % 6, 0, pick(positive ? good : bad));
      words.push(pick(positive ? good : bad));
      rows.push(`"${words.join(' ')}!",${positive ? 'pos' : 'neg'}`);
    }
    const dir = project({ 'reviews.csv': rows.join('\n') + '\n' });
    const manifest = Manifest.parse({
      name: 'sentiment',
      task: 'classification',
      data: { train: 'reviews.csv', label: 'sentiment', text: { column: 'review', maxLength: 12, vocabulary: 30 }, split: { test: 0.25, seed: 3 } },
      model: {
        layers: [
          { type: 'embedding', inputDim: 32, outputDim: 8 },
          { type: 'globalAveragePooling1d' },
          { type: 'dense', units: 2, activation: 'softmax' },
        ],
      },
      training: { epochs: 25, batchSize: 16, optimizer: 'adam', learningRate: 0.03, seed: 4 },
    });
    const result = await trainModel({ repoDir: dir, manifest, backend: 'wasm' }, () => {});
    expect(result.metrics.accuracy).toBeGreaterThan(0.8);
  });
});
