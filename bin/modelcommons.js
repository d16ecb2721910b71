#!/usr/bin/env node
// The `modelcommons` command: runs the built CLI (npm install builds it through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write('modelcommons: the CLI is not built yet; run `npm run build` in the ModelCommons folder\n');
  process.exit(1);
}
await import(built.href);
