// Where the Electron binary is, if it has been downloaded (it downloads on the first `npm start`).
import fs from 'node:fs';
import path from 'node:path';

export function electronBinary(): string | null {
  const pkg = path.resolve('node_modules/electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(pkg, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

/** The better-sqlite3 build for Electron's ABI that `npm start` makes once. */
export function electronSqliteBinding(): string {
  const version = (JSON.parse(fs.readFileSync(path.resolve('node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  return path.resolve('.cache/electron-native', version, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
}
