// Lint, including the layering rules: the core never imports a host or electron; shared/ never imports electron;
// shared/ and the renderer never import Node built-ins; only the renderer's api/ module talks to a host.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'net', 'crypto', 'url', 'stream'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['electron/cli/**', 'electron/server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The non-Electron hosts must not import electron.' }] },
      ],
    },
  },
  {
    // The core serves three hosts and knows none of them: no host folder, no renderer, no electron.
    files: ['electron/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The core must not import electron.' }],
          patterns: [
            {
              regex: '(^|/)(electron/)?(main|cli|server|preload)/|(^|/)renderer/',
              message: 'The core must not import a host (electron/main, cli, server, preload) or the renderer: hosts import the core, never the reverse.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ is pure TypeScript.' }],
          patterns: [{ group: nodeBuiltins, message: 'shared/ has no Node built-ins.' }, { group: ['**/electron/**', '**/renderer/**'] }],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches the host only through renderer/src/api.' }],
          patterns: [{ group: nodeBuiltins, message: 'The renderer runs in a browser.' }, { group: ['**/electron/**'] }],
        },
      ],
    },
  },
  {
    // The browser trainer runs the core's own training loop in a worker (one loop for Node and Chromium), so it may
    // import these browser-safe core modules, and only these; `tsc -p renderer/tsconfig.json` (no Node types)
    // fails if one of them ever reaches a Node built-in.
    files: ['renderer/src/trainer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches the host only through renderer/src/api.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a browser.' },
            {
              regex: '(^|/)electron/(?!core/app-error\\.js$|core/training/(train-on-data|trainer-protocol|probe-target|build-model|data/seeded-random)\\.js$)',
              message: 'The browser trainer may import only the browser-safe training modules listed in eslint.config.js.',
            },
          ],
        },
      ],
    },
  },
);
