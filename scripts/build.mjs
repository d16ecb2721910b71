// Builds everything the hosts run: the CLI, the Electron main + preload, the training process (esbuild), the
// renderer (Vite), and the manifest's JSON Schema. Dependencies stay in node_modules (not bundled), except in the
// sandboxed preload, which cannot require them.
import { spawnSync } from 'node:child_process';
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as vite } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const quiet = process.argv.includes('--quiet');
const started = Date.now();

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

// The last build's CLI chunks (their names carry a content hash, so new ones never overwrite old ones).
if (fs.existsSync(dist)) for (const f of fs.readdirSync(dist)) if (/^cli-.+\.js(\.map)?$/.test(f)) fs.rmSync(path.join(dist, f));

await Promise.all([
  // Split: each command's module is a chunk of its own (dist/cli-<name>-<hash>.js), loaded only when that command
  // runs. Chunks sit beside the other built files because the core finds trainer.js, renderer/ … beside itself.
  esbuild({ ...node, entryPoints: { cli: 'electron/cli/cli.ts' }, outdir: 'dist', splitting: true, chunkNames: 'cli-[name]-[hash]', format: 'esm', packages: 'external' }),
  esbuild({ ...node, entryPoints: ['electron/core/training/trainer-entry.ts'], outfile: 'dist/trainer.js', format: 'esm', packages: 'external' }),
  esbuild({ ...node, entryPoints: ['electron/core/model-impact/pool-worker.ts'], outfile: 'dist/model-impact-worker.js', format: 'esm', packages: 'external' }),
  esbuild({ ...node, entryPoints: ['electron/main/main.ts'], outfile: 'dist/main.js', format: 'esm', packages: 'external' }),
  esbuild({ ...node, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/preload.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...node, entryPoints: ['shared/manifest.ts'], outfile: 'dist/.manifest-schema.mjs', format: 'esm', packages: 'external', sourcemap: false }),
]);

const { manifestJsonSchema } = await import(pathToFileURL(path.join(dist, '.manifest-schema.mjs')).href);
fs.writeFileSync(path.join(dist, 'modelcommons.schema.json'), JSON.stringify(manifestJsonSchema(), null, 2) + '\n');
fs.rmSync(path.join(dist, '.manifest-schema.mjs'));

await vite({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });

// The catalog that ships with the app: the example projects as bare git repos, usable with no network.
const catalog = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-bundled-catalog.ts', 'dist/bundled-catalog'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (catalog.status !== 0) throw new Error('building the bundled catalog failed');
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
