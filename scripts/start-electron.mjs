// `npm start`: builds if needed, makes sure Electron's binary is there (it downloads on first start), builds a copy
// of better-sqlite3 for Electron's ABI beside node_modules (so the CLI and tests keep Node's), then opens the app.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

if (!fs.existsSync(path.join(root, 'dist', 'main.js'))) {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const electronPath = require('electron'); // downloads the binary on first use
const electronVersion = require('electron/package.json').version;

const cacheDir = path.join(root, '.cache', 'electron-native', electronVersion);
const binding = path.join(cacheDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!fs.existsSync(binding)) {
  console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)…`);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(cacheDir, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(cacheDir, 'package.json'), JSON.stringify({ name: 'electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
  for (const dep of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    fs.cpSync(path.join(root, 'node_modules', dep), path.join(cacheDir, 'node_modules', dep), { recursive: true });
  }
  fs.rmSync(path.join(cacheDir, 'node_modules', 'better-sqlite3', 'build'), { recursive: true, force: true });
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: cacheDir, electronVersion, onlyModules: ['better-sqlite3'], force: true });
}

const child = spawn(electronPath, [root, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, MODELCOMMONS_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));
