// `modelcommons`: the command-line host of the core. Failures exit non-zero with one line on stderr.
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { DEFAULT_WEIGHTS } from '../../shared/score-weights.js';
import { CHROMIUM_BACKENDS, PROCESS_BACKENDS } from '../../shared/backends.js';
import { oneLine } from '../core/app-error.js';
// Each command's module loads when the command runs, so `--help` and `--version` answer without loading the core
// (tfjs, SQLite, git, the forge clients); the build splits them into chunks (scripts/build.mjs).
const commands = () => import('./commands.js');
const modelImpactCommands = () => import('./model-impact-command.js');
const runsCommands = () => import('./runs-command.js');
const initCommands = () => import('./init-command.js');
const forgeCommands = () => import('./forge-command.js');
import { printError } from './output.js';
import { registerSweepCommands } from './sweep-program.js';
import { terminalText } from './terminal-text.js';

export function buildProgram(): Command {
  const version = pkg.version;
  const program = new Command('modelcommons')
    .description('Browse, clone, train and credit community AI model projects on this machine.')
    .version(version, '-v, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(`modelcommons: ${terminalText(oneLine(text.replace(/^error: /, '')))}\n`) })
    .exitOverride();

  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (prints a URL with a per-launch token)')
    .option('-p, --port <n>', 'port to listen on (default: a free one)')
    .option('--open', 'open the URL in the default browser')
    .option('--json', 'print {url, port} as JSON')
    .action(async (opts) => (await commands()).serveCommand(version, opts));

  program
    .command('projects')
    .description('list the projects on this machine')
    .option('--json', 'print the projects as JSON')
    .action(async (opts) => (await commands()).projectsCommand(version, opts));

  program
    .command('clone')
    .argument('<source>', 'a git URL, a local folder, or a catalog entry (bundled:<name>)')
    .description('clone a project into the data folder')
    .option('--depth <n>', 'shallow clone with this many commits')
    .option('--dir <folder>', 'clone into this folder (new or empty) instead of the data folder')
    .option('--json', 'print the project record as JSON')
    .action(async (source, opts) => (await commands()).cloneCommand(version, source, opts));

  program
    .command('update')
    .argument('<project>', 'a project name, id or folder')
    .description('fetch the upstream and fast-forward; local changes are kept')
    .option('--discard-local-changes', 'drop local changes that the update would overwrite')
    .option('--json', 'print the status before and after as JSON')
    .action(async (project, opts) => (await commands()).updateCommand(version, project, opts));

  program
    .command('init')
    .argument('<project|path>', 'a project name, id or folder, or any local git repository (used in place)')
    .description('propose a modelcommons.json for a repository without one, kept in the data folder (the repository is not changed)')
    .option('--data <path>', 'the data file or image folder to train on (relative to the repository root)')
    .option('--label <column>', 'the column to predict')
    .option('--task <task>', 'classification or regression')
    .option('--model <file>', 'a model file in the repository, or "template" for a small default network')
    .option('--commit', 'also write modelcommons.json into the working tree (committing it is left to you)')
    .option('--dry-run', 'print the proposal, write nothing')
    .option('--json', 'print the proposal and what was written as JSON')
    .action(async (project, opts) => {
      const [{ openServices }, { initCommand }] = await Promise.all([commands(), initCommands()]);
      const services = openServices(version);
      try {
        await initCommand(services, project, opts);
      } finally {
        services.close();
      }
    });

  program
    .command('train')
    .argument('<project|path>', 'a project name, id or folder, or any local git repository (used in place)')
    .description("train a project's model as its modelcommons.json declares")
    .option('--epochs <n>', 'override the number of epochs')
    .option('--evaluate', "evaluate the model file's shipped weights on the test rows, without training")
    .option('--backend <name>', `auto (default), ${PROCESS_BACKENDS.join(', ')} (${CHROMIUM_BACKENDS.join(' and ')} train in the desktop app or a \`serve\` page)`)
    .option('--json', 'print the run (metrics, history, speed) as JSON')
    .action(async (project, opts) => (await commands()).trainCommand(version, project, opts));

  const runs = program
    .command('runs')
    .argument('<project|path>', 'a project name, id or folder, or any local git repository (used in place)')
    .description("a project's training runs, newest first, and its disk use")
    .option('--json', 'print the runs as JSON (id, status, commit, params, metrics, backend, startedAt, seconds, …)')
    .option('--csv', 'print the runs as CSV (one column per param and metric)')
    .action(async (project, opts) => (await runsCommands()).runsCommand(version, project, opts));
  runs
    .command('delete')
    .argument('<run-id>', 'a run id (see: modelcommons runs <project>)')
    .description('delete a run and its saved model')
    .option('--json', 'print what was deleted as JSON')
    // `runs` has its own --json: when it is given after the run id, Commander hands it to the parent command.
    .action(async (runId, _opts, command: Command) => (await runsCommands()).runsDeleteCommand(version, runId, command.optsWithGlobals()));

  program
    .command('compare')
    .argument('<run-ids...>', 'two or more run ids; the first is the baseline the deltas are taken against')
    .description('runs side by side: params and test metrics, with deltas against the first')
    .option('--diff', 'only the params and metrics that differ between the runs')
    .option('--json', 'print { runs, params, metrics } as JSON')
    .action(async (runIds, opts) => (await runsCommands()).compareCommand(version, runIds, opts));

  program
    .command('export')
    .argument('<run-id>', 'a run id (see: modelcommons runs <project>)')
    .argument('<folder>', 'a new or empty folder (with --tensorboard: a logdir; the run gets a folder in it)')
    .description("write a run's trained model (tfjs format), or with --tensorboard its curves, to a folder")
    .option('--quantize <dtype>', 'store the weights as float16 or uint8, and measure the test-metric change this causes')
    .option('--tensorboard', 'write the loss and metric curves as a TensorBoard event file instead of the model')
    .option('--json', 'print what was written as JSON')
    .action(async (runId, folder, opts) => (await runsCommands()).exportCommand(version, runId, folder, opts));

  program
    .command('remove')
    .argument('<project>', 'a project name, id or folder')
    .description('remove a project and its runs; its clone folder too when ModelCommons made it (never your own folder)')
    .option('--json', 'print what was removed as JSON')
    .action(async (project, opts) => (await runsCommands()).removeCommand(version, project, opts));

  program
    .command('impact')
    .argument('<project|path>', 'a project name, id or folder, or any local git repository (used in place)')
    .description("each contributor's commits, lines by category, surviving lines, reviews and score")
    .option('--json', 'print the report as JSON')
    .option('--since <date>', 'only commits after this date (with --model: also a revision, commits after it)')
    .option('--until <date>', 'only commits before this date')
    .option(
      '--weights <a,b,c[,d]>',
      `alpha,beta,gamma[,delta] of C = αG + βD + γPQ + δM, M from the last model analysis's Shapley values (default ${[DEFAULT_WEIGHTS.alpha, DEFAULT_WEIGHTS.beta, DEFAULT_WEIGHTS.gamma, DEFAULT_WEIGHTS.delta].join(',')})`,
    )
    .option('--include-bots', 'keep automation accounts (marked as bots)')
    .option('--no-blame', 'skip the surviving-lines pass (faster)')
    .option('--merge <emails>', 'record that these comma-separated identities are one person (kept for later runs)')
    .option('--split <email>', 'record that this identity is never merged with another (kept for later runs)')
    .option('--category <pattern=category...>', 'file paths matching the glob count as that category (kept for later runs)')
    .option('--reset-categories', "forget this project's category rules (the defaults remain)")
    .option('--model', "add each contributor's effect on the model's metric, by replaying the history (trains the model)")
    .option('--seeds <n>', 'with --model: paired trainings per state (default 3)')
    .option('--method <m>', 'with --model: replay, loo, shapley or all (default all)')
    .option('--budget <n>', 'with --model: at most this many new trainings for the Shapley values')
    .option('--evaluation <rev>', "with --model: the commit whose test split is the yardstick (default HEAD)")
    .option('--workers <n>', 'with --model: trainings side by side (default: one per core)')
    .action(async (project, opts) => (await commands()).impactCommand(version, project, opts));

  program
    .command('bisect')
    .argument('<project>', 'a project name, id or folder')
    .description('find the first commit whose model is worse than at --good beyond seed noise, and its author')
    .option('--good <rev>', 'a commit known to be good (default: the first commit)')
    .option('--bad <rev>', 'a commit known to be bad (default: HEAD)')
    .option('--seeds <n>', 'paired trainings per state (default 3)')
    .option('--evaluation <rev>', 'the commit whose test split is the yardstick (default: --good, else --bad)')
    .option('--workers <n>', 'trainings side by side (default: one per core)')
    .option('--json', 'print the result as JSON')
    .action(async (project, opts) => (await modelImpactCommands()).bisectCommand(version, project, opts));

  registerSweepCommands(program, version);

  const forge = program.command('forge').description("a project's issues, answers and reviews on GitHub or GitLab (the score's PQ)");
  forge
    .command('sync')
    .argument('<project>', 'a project name, id or folder')
    .description('connect (with --github/--gitlab) and read what changed since the last sync; tokens from GITHUB_TOKEN / GITLAB_TOKEN')
    .option('--github <owner/repo>', 'connect the project to this GitHub repository')
    .option('--gitlab <group/project>', 'connect the project to this GitLab project')
    .option('--api-url <url>', 'the API of GitHub Enterprise (https://host/api/v3) or a self-hosted GitLab (https://host)')
    .option('--json', 'print the sync result and status as JSON')
    .action(async (project, opts) => {
      const [{ openServices }, { forgeSyncCommand }] = await Promise.all([commands(), forgeCommands()]);
      const services = openServices(pkg.version);
      try {
        await forgeSyncCommand(services, project, opts);
      } finally {
        services.close();
      }
    });

  const catalog = program.command('catalog').description('browse project catalogs (the bundled one, and git repos with a catalog.json)');
  catalog
    .command('search')
    .argument('[query]', 'words to find in names, descriptions and tags')
    .description('search every catalog')
    .option('--task <task>', 'classification, regression, image, text or other')
    .option('--tag <tag...>', 'only projects with every one of these tags')
    .option('--license <id>', 'only projects under this license (an SPDX id)')
    .option('--json', 'print the matching entries as JSON')
    .option('--hub', 'search the Hugging Face Hub instead (once turned on with `catalog hub on`)')
    .option('--library <id>', 'with --hub: only models of this library (keras, tfjs, …)')
    .option('--limit <n>', 'with --hub: at most this many models (default 50)')
    .action(async (query, opts) =>
      opts.hub ? (await import('./hub-search.js')).hubSearchCommand(version, query, opts) : (await commands()).catalogSearchCommand(version, query, opts),
    );
  catalog
    .command('hub')
    .argument('[state]', 'on or off (kept across runs); without it, show the state')
    .description('turn the Hugging Face Hub source on or off (off until turned on; a token only from HF_TOKEN)')
    .option('--json', 'print the settings as JSON')
    .action(async (state, opts) => (await import('./hub-search.js')).hubSourceCommand(version, state, opts));
  catalog
    .command('add')
    .argument('<git-url>', 'a git repository with a catalog.json at its root')
    .description('add a catalog')
    .option('--json', 'print the catalog record as JSON')
    .action(async (url, opts) => (await commands()).catalogAddCommand(version, url, opts));
  catalog.command('list').description('list the catalogs').option('--json', 'print as JSON').action(async (opts) => (await commands()).catalogListCommand(version, opts));
  catalog
    .command('refresh')
    .description('fetch every added catalog again')
    .option('--json', 'print as JSON')
    .action(async (opts) => (await commands()).catalogRefreshCommand(version, opts));

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
    // Core errors embed cell values, names and paths from untrusted projects: escaped like every human line.
    printError(`modelcommons: ${oneLine(err instanceof Error ? err.message : String(err))}`);
    process.exitCode = 1;
  }
}

main(process.argv).catch(() => {
  process.exitCode = 1;
});
