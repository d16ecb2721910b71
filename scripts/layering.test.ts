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

  it('shared/ may not import Node, the core or the renderer', async () => {
    expect(await violations('shared/probe.ts', "import fs from 'node:fs';\nvoid fs;\n")).toHaveLength(1);
    expect(await violations('shared/probe.ts', "import { AppError } from '../electron/core/app-error.js';\nvoid AppError;\n")).toHaveLength(1);
  });

  it("the browser trainer may import the core's portable/ folders, and no other core module", async () => {
    const trainer = 'renderer/src/trainer/probe.ts';
    expect(await violations(trainer, "import { loadTabularData } from '../../../electron/core/training/data/index.js';\nvoid loadTabularData;\n")).toEqual([
      expect.stringContaining("only the core's portable/ folders"),
    ]);
    expect(await violations(trainer, "import { chooseAuto } from '../../../electron/core/training/auto-backend.js';\nvoid chooseAuto;\n")).toHaveLength(1);
    expect(await violations(trainer, "import { AppError } from '../../../electron/core/app-error.js';\nvoid AppError;\n")).toHaveLength(1);
    expect(await violations(trainer, "import { trainOnData } from '../../../electron/core/training/portable/train-on-data.js';\nvoid trainOnData;\n")).toEqual([]);
    expect(await violations(trainer, "import { AppError } from '../../../electron/core/portable/app-error.js';\nvoid AppError;\n")).toEqual([]);
  });

  it('a portable/ folder imports only portable/ folders, shared/ and packages: no Node built-in, no other core module', async () => {
    const portable = 'electron/core/training/portable/probe.ts';
    expect(await violations(portable, "import { loadTabularData } from '../data/index.js';\nvoid loadTabularData;\n")).toEqual([
      expect.stringContaining('imports only portable/ folders'),
    ]);
    expect(await violations(portable, "import { startBackend } from '../backends.js';\nvoid startBackend;\n")).toHaveLength(1);
    expect(await violations(portable, "import fs from 'node:fs';\nvoid fs;\n")).toEqual([expect.stringContaining('no Node built-ins')]);
    expect(await violations(portable, "import { printLine } from '../../../cli/output.js';\nvoid printLine;\n")).toEqual(
      expect.arrayContaining([expect.stringContaining('The core must not import a host')]),
    );
    expect(
      await violations(
        portable,
        "import * as tf from '@tensorflow/tfjs-core';\nimport { buildModel } from './build-model.js';\nimport { AppError } from '../../portable/app-error.js';\nimport { Manifest } from '../../../../shared/manifest.js';\nvoid tf; void buildModel; void AppError; void Manifest;\n",
      ),
    ).toEqual([]);
  });
});
