// `npm test`'s first step: names every system tool the tests need that this machine lacks, with the line that
// installs it, in a second or two — instead of a test failing minutes later with a TypeError.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Each tool the test suite uses beyond npm's packages, how to tell it is there, and how to install it. */
export const TOOLS = [
  {
    name: 'git',
    usedBy: 'every git test',
    present: () => runs('git', ['--version']),
    install: { apt: 'sudo apt-get install git', brew: 'brew install git', winget: 'winget install Git.Git' },
  },
  {
    name: 'git-lfs',
    usedBy: 'electron/core/git/lfs.test.ts',
    present: () => runs('git', ['lfs', 'version']),
    install: { apt: 'sudo apt-get install git-lfs', brew: 'brew install git-lfs', winget: 'winget install GitHub.GitLFS' },
  },
  {
    name: 'chromium',
    usedBy: 'the Playwright e2e (Debian’s /usr/bin/chromium, or Playwright’s own browser)',
    present: () => fs.existsSync(process.env.MODELCOMMONS_PREFLIGHT_CHROMIUM ?? '/usr/bin/chromium') || playwrightChromium(),
    install: { apt: 'sudo apt-get install chromium', brew: 'npx playwright install chromium', winget: 'npx playwright install chromium' },
  },
  {
    name: 'python3-numpy',
    usedBy: 'the .npy/.npz tests, which write their files with NumPy (electron/core/testing/numpy-script.ts)',
    present: () => ['python3', '/usr/bin/python3'].some((python) => runs(python, ['-c', 'import numpy'])),
    install: { apt: 'sudo apt-get install python3-numpy', brew: 'pip3 install numpy', winget: 'pip install numpy' },
  },
  {
    name: 'redis-server',
    usedBy: 'the Redis worker tests (electron/core/jobs/)',
    present: () => runs(process.env.MODELCOMMONS_PREFLIGHT_REDIS ?? 'redis-server', ['--version']),
    install: { apt: 'sudo apt-get install redis-server', brew: 'brew install redis', winget: 'wsl sudo apt-get install redis-server' },
  },
];

const MIN_NODE = [20, 19];

function runs(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 5000 });
  return result.status === 0;
}

/** Playwright's own Chromium, where `npx playwright install` put one (never the case on Debian here). */
function playwrightChromium() {
  if (process.env.MODELCOMMONS_PREFLIGHT_CHROMIUM) return false;
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    return fs.existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}

/** The missing tools, each as one line naming it, what needs it and its install lines. */
export function missingTools() {
  const lines = [];
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    lines.push(`node ${process.versions.node} is older than ${MIN_NODE.join('.')}: install a current Node (https://nodejs.org)`);
  }
  for (const tool of TOOLS) {
    if (tool.present()) continue;
    const { apt, brew, winget } = tool.install;
    lines.push(`${tool.name} is missing (needed by ${tool.usedBy}): Debian/Ubuntu \`${apt}\` · macOS \`${brew}\` · Windows \`${winget}\``);
  }
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const missing = missingTools();
  if (missing.length) {
    console.error(`npm test needs ${missing.length === 1 ? 'a tool' : 'tools'} this machine lacks:`);
    for (const line of missing) console.error(`- ${line}`);
    process.exit(1);
  }
}
