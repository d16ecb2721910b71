import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readCommits } from './git/read-history.js';
import { createServices } from './services.js';
import { git, makeRepo, tempDir } from './testing/git-fixtures.js';

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('a clone opens with the history it read beside its checkout, and a pull shows the new commits', async () => {
  const upstream = makeRepo(
    path.join(root, 'upstream'),
    Array.from({ length: 5 }, (_, i) => ({ author: 'Ada', email: 'ada@example.org', message: `change ${i}`, files: { 'a.txt': `v${i}` } })),
  );
  const services = createServices({ home: path.join(root, 'home'), version: 'test' });
  try {
    const project = await services.projects.add(upstream);
    const first = await services.projects.commits(project.id, 200);
    expect(first.map((c) => c.subject)).toEqual(['change 4', 'change 3', 'change 2', 'change 1', 'change 0']);
    expect(first).toEqual(await readCommits(project.path, 200));
    expect(await services.projects.commits(project.id, 2)).toHaveLength(2);

    fs.writeFileSync(path.join(upstream, 'a.txt'), 'v5');
    git(upstream, ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.org', 'commit', '-qam', 'change 5']);
    await services.projects.pull(project.id, false);
    expect((await services.projects.commits(project.id, 200))[0]!.subject).toBe('change 5');
  } finally {
    services.close();
  }
});

it('offers the folder dialog only where the host has one (the desktop app), and returns what was picked', async () => {
  const typed = createServices({ home: path.join(root, 'home-typed'), version: 'test' });
  const picked = createServices({ home: path.join(root, 'home-dialog'), version: 'test', chooseFolder: async (title) => `/picked/for ${title}` });
  try {
    expect(await typed.dispatch('app:info', {})).toMatchObject({ ok: true, value: { canChooseFolder: false } });
    expect(await typed.dispatch('app:chooseFolder', {})).toMatchObject({ ok: false, error: { message: 'There is no folder dialog here: type the folder path' } });
    expect(await picked.dispatch('app:info', {})).toMatchObject({ ok: true, value: { canChooseFolder: true } });
    expect(await picked.dispatch('app:chooseFolder', { title: 'Clone into' })).toEqual({ ok: true, value: { path: '/picked/for Clone into' } });
  } finally {
    typed.close();
    picked.close();
  }
});
