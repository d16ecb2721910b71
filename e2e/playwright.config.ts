// Playwright: the real renderer in Chromium against `modelcommons serve`; the Electron app where a binary exists.
import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import { electronBinary } from './support/electron-binary.js';

const debianChromium = '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export default defineConfig({
  testDir: '.',
  outputDir: '.tmp/results',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [['list'], ['json', { outputFile: '../.test-results/playwright.json' }]],
  globalSetup: './support/global-setup.ts',
  projects: [
    {
      name: 'chromium-serve',
      testMatch: /serve\..*spec\.ts$/,
      use: {
        browserName: 'chromium',
        colorScheme: 'dark',
        launchOptions: {
          // Debian's Chromium where it exists (Playwright cannot download a browser here); Playwright's own elsewhere.
          ...(fs.existsSync(debianChromium) ? { executablePath: debianChromium } : {}),
          args: chromiumArgs,
        },
      },
    },
    ...(electronBinary() ? [{ name: 'electron', testMatch: /electron\..*spec\.ts$/ }] : []),
  ],
});
