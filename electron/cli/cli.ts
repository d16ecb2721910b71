// `modelcommons`: the command-line host of the core. Failures exit non-zero with one line on stderr.
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { oneLine } from '../core/app-error.js';
import { cloneCommand, projectsCommand, serveCommand, trainCommand } from './commands.js';

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
    .argument('<source>', 'a git URL or a local folder')
    .description('clone a project into the data folder')
    .option('--depth <n>', 'shallow clone with this many commits')
    .option('--json', 'print the project record as JSON')
    .action((source, opts) => cloneCommand(version, source, opts));

  program
    .command('train')
    .argument('<project>', 'a project name, id or folder')
    .description("train a project's model as its modelcommons.json declares")
    .option('--epochs <n>', 'override the number of epochs')
    .option('--backend <name>', 'auto (default), tfjs-node-gpu, tfjs-node, wasm or cpu')
    .option('--json', 'print the run (metrics, history, speed) as JSON')
    .action((project, opts) => trainCommand(version, project, opts));

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
