import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, expect, it } from 'vitest';
import { createServices } from '../services.js';
import { git, makeRepo, tempDir } from '../testing/git-fixtures.js';

const root = tempDir('mc-setup-images-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A size×size grey PNG whose left (or right) half is bright. */
function halfPng(size: number, left: boolean): Buffer {
  const image = new PNG({ width: size, height: size, colorType: 0 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      image.data.fill((x < size / 2) === left ? 220 : 20, i, i + 3);
      image.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(image, { colorType: 0 });
}

it('an image folder with nothing else: the proposed small CNN trains as written to the overlay', async () => {
  const repo = makeRepo(path.join(root, 'halves'), [{ author: 'Ada', email: 'ada@x.org', message: 'readme', files: { 'README.md': '# Halves\n' } }]);
  for (let i = 0; i < 20; i++) {
    for (const side of ['left', 'right'] as const) {
      fs.mkdirSync(path.join(repo, 'pictures', side), { recursive: true });
      fs.writeFileSync(path.join(repo, 'pictures', side, `${i}.png`), halfPng(16, side === 'left'));
    }
  }
  git(repo, ['add', '-A']);
  git(repo, ['-c', 'user.name=Ada', '-c', 'user.email=ada@x.org', 'commit', '-q', '-m', 'images']);
  const services = createServices({ home: path.join(root, 'home'), version: 'test' });
  try {
    const project = await services.projects.add(repo, { inPlace: true });
    const proposal = await services.setup.detect(project.id);
    expect(proposal.manifest?.data.images).toMatchObject({ train: 'pictures', size: [16, 16], channels: 1 });
    services.setup.write(project.id, proposal.manifest);
    const { finished } = await services.training.start(project.id, { backend: 'cpu', epochs: 5 });
    const run = await finished;
    expect(run.error).toBeNull();
    expect(run.labels).toEqual(['left', 'right']);
    // Bright left half or right half: 8 test images (chance 0.5); the seeded run gets them right.
    expect(run.metrics?.['accuracy']).toBeGreaterThanOrEqual(0.75);
  } finally {
    services.close();
  }
});
