// `modelcommons`: the command-line host of the core. Failures exit non-zero with one line on stderr.
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { oneLine } from '../core/app-error.js';
import {
  catalogAddCommand,
  catalogListCommand,
  catalogRefreshCommand,
  catalogSearchCommand,
  cloneCommand,
  exportCommand,
  impactCommand,
  runsCommand,
  projectsCommand,
  updateCommand,
  serveCommand,
  trainCommand,
} from './commands.js';

export function buildProgram(): Command {
  const version = pkg.version;
  const program = new Command('modelcommons')
    .description('Browse, clone, train and credit community AI model projects on this machine.')
    .version(version, '-v, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(`modelcommons: ${oneLine(text.replace(/^error: /, ''))}\n`) })
    .exitOverride();

  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (prints a URL with a per-launch token)')
    .option('-p, --port <n>', 'port to listen on (default: a free one)')
    .option('--open', 'open the URL in the default browser')
    .option('--json', 'print {url, port} as JSON')
    .action((opts) => serveCommand(version, opts));

  program
    .command('projects')
    .description('list the projects on this machine')
    .option('--json', 'print the projects as JSON')
    .action((opts) => projectsCommand(version, opts));

  program
    .command('clone')
    .argument('<source>', 'a git URL, a local folder, or a catalog entry (bundled:<name>)')
    .description('clone a project into the data folder')
    .option('--depth <n>', 'shallow clone with this many commits')
    .option('--dir <folder>', 'clone into this folder (new or empty) instead of the data folder')
    .option('--json', 'print the project record as JSON')
    .action((source, opts) => cloneCommand(version, source, opts));

  program
    .command('update')
    .argument('<project>', 'a project name, id or folder')
    .description('fetch the upstream and fast-forward; local changes are kept')
    .option('--discard-local-changes', 'drop local changes that the update would overwrite')
    .option('--json', 'print the status before and after as JSON')
    .action((project, opts) => updateCommand(version, project, opts));

  program
    .command('train')
    .argument('<project>', 'a project name, id or folder')
    .description("train a project's model as its modelcommons.json declares")
    .option('--epochs <n>', 'override the number of epochs')
    .option('--backend <name>', 'auto (default), tfjs-node-gpu, tfjs-node, wasm or cpu (webgpu and webgl train in the desktop app or a `serve` page)')
    .option('--json', 'print the run (metrics, history, speed) as JSON')
    .action((project, opts) => trainCommand(version, project, opts));

  program
    .command('runs')
    .argument('<project>', 'a project name, id or folder')
    .description("a project's training runs, newest first")
    .option('--json', 'print the runs as JSON')
    .action((project, opts) => runsCommand(version, project, opts));

  program
    .command('export')
    .argument('<run-id>', 'a run id (see: modelcommons runs <project>)')
    .argument('<folder>', 'a new or empty folder')
    .description("copy a run's trained model (tfjs format) to a folder")
    .option('--json', 'print what was written as JSON')
    .action((runId, folder, opts) => exportCommand(version, runId, folder, opts));

  program
    .command('impact')
    .argument('<project>', 'a project name, id or folder')
    .description("each contributor's commits, lines by category, surviving lines, reviews and score")
    .option('--json', 'print the report as JSON')
    .option('--since <date>', 'only commits after this date')
    .option('--until <date>', 'only commits before this date')
    .option('--weights <a,b,c>', 'alpha,beta,gamma of C = αG + βD + γPQ (default 0.6,0.25,0.15)')
    .option('--include-bots', 'keep automation accounts (marked as bots)')
    .option('--no-blame', 'skip the surviving-lines pass (faster)')
    .option('--merge <emails>', 'record that these comma-separated identities are one person (kept for later runs)')
    .option('--split <email>', 'record that this identity is never merged with another (kept for later runs)')
    .option('--category <pattern=category...>', 'file paths matching the glob count as that category (kept for later runs)')
    .option('--reset-categories', "forget this project's category rules (the defaults remain)")
    .action((project, opts) => impactCommand(version, project, opts));

  const catalog = program.command('catalog').description('browse project catalogs (the bundled one, and git repos with a catalog.json)');
  catalog
    .command('search')
    .argument('[query]', 'words to find in names, descriptions and tags')
    .description('search every catalog')
    .option('--task <task>', 'classification, regression, image, text or other')
    .option('--tag <tag...>', 'only projects with every one of these tags')
    .option('--license <id>', 'only projects under this license (an SPDX id)')
    .option('--json', 'print the matching entries as JSON')
    .action((query, opts) => catalogSearchCommand(version, query, opts));
  catalog
    .command('add')
    .argument('<git-url>', 'a git repository with a catalog.json at its root')
    .description('add a catalog')
    .option('--json', 'print the catalog record as JSON')
    .action((url, opts) => catalogAddCommand(version, url, opts));
  catalog.command('list').description('list the catalogs').option('--json', 'print as JSON').action((opts) => catalogListCommand(version, opts));
  catalog
    .command('refresh')
    .description('fetch every added catalog again')
    .option('--json', 'print as JSON')
    .action((opts) => catalogRefreshCommand(version, opts));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`modelcommons: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    process.exitCode = 1;
  }
}

main(process.argv).catch(() => {
  process.exitCode = 1;
});
