// The layering rules in eslint.config.js catch an import that crosses a layer: a file is linted as if it lived in the
// folder named, with ESLint's own API and the project's config.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
  it('the core may not import a host, the renderer or electron', async () => {
    expect(await violations('electron/core/training/probe.ts', "import { printLine } from '../../cli/output.js';\nprintLine('x');\n")).toEqual([
      expect.stringContaining('The core must not import a host'),
    ]);
    expect(await violations('electron/core/probe.ts', "import { startServer } from '../server/loopback-server.js';\nvoid startServer;\n")).toHaveLength(1);
    expect(await violations('electron/core/probe.ts', "import { App } from '../../renderer/src/app/App';\nvoid App;\n")).toHaveLength(1);
    expect(await violations('electron/core/probe.ts', "import { app } from 'electron';\nvoid app;\n")).toEqual([expect.stringContaining('The core must not import electron.')]);
  });

  it('the core may import itself and shared/', async () => {
    expect(await violations('electron/core/probe.ts', "import { AppError } from './app-error.js';\nimport { Manifest } from '../../shared/manifest.js';\nvoid AppError; void Manifest;\n")).toEqual([]);
  });

  it('shared/ may not import Node, the core or the renderer; the browser trainer only the browser-safe modules', async () => {
    expect(await violations('shared/probe.ts', "import fs from 'node:fs';\nvoid fs;\n")).toHaveLength(1);
    expect(await violations('shared/probe.ts', "import { AppError } from '../electron/core/app-error.js';\nvoid AppError;\n")).toHaveLength(1);
    expect(await violations('renderer/src/trainer/probe.ts', "import { loadTabularData } from '../../../electron/core/training/data/index.js';\nvoid loadTabularData;\n")).toHaveLength(1);
    expect(await violations('renderer/src/trainer/probe.ts', "import { trainOnData } from '../../../electron/core/training/train-on-data.js';\nvoid trainOnData;\n")).toEqual([]);
  });
});
