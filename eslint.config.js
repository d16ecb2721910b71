// Lint, including the layering rules: the core never imports a host or electron; shared/ never imports electron;
// shared/ and the renderer never import Node built-ins; only the renderer's api/ module talks to a host.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'net', 'crypto', 'url', 'stream'];

// The core's layer: no electron, no host, no renderer.
const coreImports = {
  paths: [{ name: 'electron', message: 'The core must not import electron.' }],
  patterns: [
    {
      regex: '(^|/)(electron/)?(main|cli|server|preload)/|(^|/)renderer/',
      message: 'The core must not import a host (electron/main, cli, server, preload) or the renderer: hosts import the core, never the reverse.',
    },
  ],
};
// A `portable/` folder of the core is browser-safe (a Chromium trainer runs it): it imports other portable/ folders,
// shared/ and packages, never a Node built-in or a core module outside portable/.
const noNodeInPortable = {
  group: nodeBuiltins,
  message: 'A portable/ folder runs in a browser too: no Node built-ins.',
};
const leavesPortable = {
  regex: '^\\.\\./(?!(\\.\\./)*((.+/)?portable|shared)/)',
  message: 'A portable/ folder imports only portable/ folders, shared/ and packages: move what it needs into portable/.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/.tmp/**', '.gpu/**'] },
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
    rules: { 'no-restricted-imports': ['error', coreImports] },
  },
  {
    files: ['electron/core/**/portable/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { ...coreImports, patterns: [...coreImports.patterns, noNodeInPortable, leavesPortable] }] },
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
    // import the core's portable/ folders, and only those; they import nothing outside portable/ (the rule above),
    // and `tsc -p renderer/tsconfig.json` (no Node types) fails if one ever reaches a Node built-in.
    files: ['renderer/src/trainer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches the host only through renderer/src/api.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a browser.' },
            {
              regex: '(^|/)electron/(?!core/(.+/)?portable/)',
              message: "The browser trainer may import only the core's portable/ folders (browser-safe).",
            },
          ],
        },
      ],
    },
  },
);
