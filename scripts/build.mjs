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

const CLI_BUNDLED_PACKAGES = ['zod', 'commander', 'env-paths'];
/** CommonJS packages the CLI's startup loads from node_modules: required, not imported (see bundleOnly). */
const CLI_REQUIRED_PACKAGES = ['better-sqlite3'];

/** Leaves every package in node_modules except `names` (and what they import), which are bundled in. */
function bundleOnly(names, required) {
  const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
  const inNodeModules = (file) => file.split(path.sep).includes('node_modules');
  const zodDir = path.join(root, 'node_modules', 'zod') + path.sep;
  return {
    name: 'bundle-only',
    setup(build) {
      // zod's `locales` namespace pulls in every translation; its messages here are English (zod's default).
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.startsWith(zodDir) ? { path: 'english-only', namespace: 'zod-locales' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
        contents: `export { default as en } from ${JSON.stringify(path.join(zodDir, 'v4', 'locales', 'en.js'))};`,
        resolveDir: root,
      }));
      // A CommonJS package imported from an ES module goes through Node's export scan (cjs-module-lexer) on every
      // start; required instead (the banner's require), it loads as CommonJS does.
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        required.includes(args.path) && args.kind === 'import-statement' ? { path: args.path, namespace: 'cjs-require' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'cjs-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});` }));
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || names.includes(packageOf(args.path)) || inNodeModules(args.importer)) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

// The last build's CLI chunks (their names carry a content hash, so new ones never overwrite old ones).
if (fs.existsSync(dist)) for (const f of fs.readdirSync(dist)) if (/^cli-.+\.js(\.map)?$/.test(f)) fs.rmSync(path.join(dist, f));

await Promise.all([
  // Split: each command's module is a chunk of its own (dist/cli-<name>-<hash>.js), loaded only when that command
  // runs. Chunks sit beside the other built files because the core finds trainer.js, renderer/ … beside itself.
  // The pure-JS packages every command loads (zod, commander, env-paths) are bundled in: one file read and compiled
  // instead of ~80 resolved and loaded one by one (zod without its 40 translations: only English is used). The
  // metafile (dist/.cli-meta.json) shows which modules each chunk holds; bench/cli-start.ts prints the startup set.
  esbuild({
    ...node,
    entryPoints: { cli: 'electron/cli/cli.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'cli-[name]-[hash]',
    format: 'esm',
    metafile: true,
    plugins: [bundleOnly(CLI_BUNDLED_PACKAGES, CLI_REQUIRED_PACKAGES)],
    // Bundled CommonJS (commander) calls require() for Node's built-ins: an ES module has none unless given one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }).then((r) => fs.writeFileSync(path.join(dist, '.cli-meta.json'), JSON.stringify(r.metafile))),
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
