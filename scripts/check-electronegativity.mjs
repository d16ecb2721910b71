// `npm run security:electron`: runs Electronegativity on electron/ (offline, for the Electron version installed) and
// fails on any finding not accepted, with its reason, in build/electronegativity-accepted.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const acceptedFile = path.join(repo, 'build', 'electronegativity-accepted.json');
const electronVersion = require('electron/package.json').version;
const cli = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-electronegativity-')), 'findings.sarif');

try {
  const run = spawnSync(
    process.execPath,
    ['--require', path.join(repo, 'scripts', 'electronegativity-offline.cjs'), cli, '-i', path.join(repo, 'electron'), '-e', electronVersion, '-r', '-o', out],
    { cwd: repo, encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } },
  );
  if (run.status !== 0 || !fs.existsSync(out)) {
    console.error(`security:electron: Electronegativity did not finish (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').at(-1)}`);
    process.exit(1);
  }
  const sarif = JSON.parse(fs.readFileSync(out, 'utf8'));
  const findings = sarif.runs.flatMap((r) =>
    r.results.map((x) => {
      const where = x.locations?.[0]?.physicalLocation;
      return { check: x.ruleId, file: where?.artifactLocation?.uri ?? '?', line: where?.region?.startLine ?? 0, message: x.message?.text ?? '' };
    }),
  );
  const { accepted } = JSON.parse(fs.readFileSync(acceptedFile, 'utf8'));
  for (const [i, a] of accepted.entries()) {
    if (!a.check || !a.file || !a.reason?.trim()) {
      console.error(`security:electron: ${path.relative(repo, acceptedFile)}: accepted[${i}] needs "check", "file" and a "reason"`);
      process.exit(1);
    }
  }
  const isAccepted = (f) => accepted.some((a) => a.check === f.check && a.file === f.file);
  const fresh = findings.filter((f) => !isAccepted(f));
  const stale = accepted.filter((a) => !findings.some((f) => f.check === a.check && f.file === a.file));
  console.log(`security:electron: Electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${findings.length - fresh.length} accepted`);
  for (const a of stale) console.log(`  no longer found (remove it from the accepted list): ${a.check} in ${a.file}`);
  if (fresh.length) {
    for (const f of fresh) console.error(`  NEW ${f.check} electron/${f.file}:${f.line}: ${f.message}`);
    console.error(`security:electron: ${fresh.length} finding${fresh.length === 1 ? '' : 's'} not in ${path.relative(repo, acceptedFile)}: fix them, or accept each with its reason`);
    process.exit(1);
  }
} finally {
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
}
