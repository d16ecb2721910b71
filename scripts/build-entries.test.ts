// Guards what Electron and a packaged app would load, with no Electron binary: every entry package.json and
// electron-builder name exists after `npm run build`, is packaged, and the main entry evaluates up to its first use of
// Electron. (`npm test` builds before the unit tests run.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const root = path.resolve('.');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; bin: Record<string, string> };
const builder = parseYaml(fs.readFileSync(path.join(root, 'build/electron-builder.yml'), 'utf8')) as { files: string[] };

function built(relative: string): string {
  const file = path.join(root, relative);
  expect(fs.existsSync(file), `${relative} is missing after the build (run \`npm run build\`)`).toBe(true);
  return file;
}

/** Whether electron-builder's `files` list keeps a path: the last matching pattern wins, `!` excludes. */
function packaged(relative: string): boolean {
  let kept = false;
  for (const pattern of builder.files) {
    const negated = pattern.startsWith('!');
    if (path.matchesGlob(relative, negated ? pattern.slice(1) : pattern)) kept = !negated;
  }
  return kept;
}

/** Every file the main process names beside itself (`path.join(here, '…')` in electron/main). */
function filesMainLoads(): string[] {
  const names = new Set<string>();
  for (const source of fs.readdirSync(path.join(root, 'electron/main')).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(root, 'electron/main', source), 'utf8');
    for (const match of text.matchAll(/path\.join\(\s*here(?:\.replace\([^)]*\))?\s*,\s*'([^']+)'/g)) names.add(match[1]!);
  }
  return [...names];
}

describe('build entries', () => {
  it("package.json's main is written by the build and packaged by electron-builder", () => {
    built(pkg.main);
    expect(packaged(pkg.main), `${pkg.main} is not in build/electron-builder.yml's files`).toBe(true);
    expect(packaged('package.json')).toBe(true);
  });

  it('everything the main process loads beside itself is built and packaged', () => {
    const names = filesMainLoads();
    // preload, trainer, renderer, bundled catalog: if this list shrinks, the scan above has stopped finding them.
    expect(names).toEqual(expect.arrayContaining(['preload.cjs', 'trainer.js', 'renderer', 'bundled-catalog']));
    const mainDir = path.dirname(pkg.main);
    for (const name of names) {
      const relative = path.posix.join(mainDir, name);
      const file = built(relative);
      const inside = fs.statSync(file).isDirectory() ? path.posix.join(relative, fs.readdirSync(file)[0]!) : relative;
      expect(packaged(inside), `${inside} is not in electron-builder's files`).toBe(true);
    }
    built(path.posix.join(mainDir, 'renderer/index.html'));
    built(path.posix.join(mainDir, 'renderer/trainer.html'));
  });

  it("the CLI's bin runs the built CLI", () => {
    for (const bin of Object.values(pkg.bin)) {
      const result = spawnSync(process.execPath, [path.join(root, bin), '--version'], { encoding: 'utf8', timeout: 30_000 });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('the main entry evaluates under Node, with electron absent, up to its first use of Electron', () => {
    // Every import of the bundle must resolve and every module must evaluate; `electron` is a stub whose every
    // export throws a marker when touched, so reaching the marker means everything before Electron worked.
    const stubNames = ['app', 'BrowserWindow', 'dialog', 'ipcMain', 'Menu', 'net', 'protocol', 'safeStorage', 'session', 'shell', 'webContents'];
    const stub = stubNames
      .map((n) => `export const ${n} = new Proxy(function () {}, { get(_, p) { throw new Error('ELECTRON_NEEDED ${n}.' + String(p)); }, apply() { throw new Error('ELECTRON_NEEDED ${n}()'); }, construct() { throw new Error('ELECTRON_NEEDED new ${n}'); } });`)
      .join('\n');
    const hooks = `
      export async function resolve(specifier, context, next) {
        if (specifier === 'electron') return { url: 'mc-stub:electron', shortCircuit: true };
        return next(specifier, context);
      }
      export async function load(url, context, next) {
        if (url === 'mc-stub:electron') return { format: 'module', source: ${JSON.stringify(stub)}, shortCircuit: true };
        return next(url, context);
      }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-main-entry-'));
    const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, built(pkg.main)], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, MODELCOMMONS_HOME: home },
    });
    fs.rmSync(home, { recursive: true, force: true });
    expect(result.stderr).toMatch(/ELECTRON_NEEDED \w+/);
    expect(result.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)|SyntaxError|does not provide an export/);
  });
});
