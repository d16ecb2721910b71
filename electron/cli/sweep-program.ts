// The `sweep`, `jobs` and `worker` commands as Commander sees them. Their modules load only when one of them runs
// (like every command's), so registering them costs `--help` nothing.
import type { Command } from 'commander';
import type { ServiceGraph } from '../core/service-graph.js';
import { PROCESS_BACKENDS } from '../../shared/backends.js';

/** Opens the services for one command and closes them after it. */
async function withServices(version: string, work: (services: ServiceGraph) => Promise<void> | void): Promise<void> {
  const services = (await import('./commands.js')).openServices(version);
  try {
    await work(services);
  } finally {
    services.close();
  }
}

const sweepModule = () => import('./sweep-command.js');

export function registerSweepCommands(program: Command, version: string): void {
  program
    .command('sweep')
    .argument('<project|path>', 'a project name, id or folder, or any local git repository (used in place)')
    .description('grid or random search over manifest keys, optionally k-fold cross-validated; each point becomes a run')
    .option('--set <KEY=V1,V2...>', 'values of a key: training.learningRate, training.batchSize, training.epochs, model.layers[N].units or .rate (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('--random <n>', 'random search: this many distinct points of the grid')
    .option('--folds <k>', 'k-fold cross-validation: K trainings per point, each validated on one fold of the training split')
    .option('--workers <n>', 'trainings side by side on this machine (default: one per core)')
    .option('--redis <url>', 'train on `modelcommons worker` machines over this Redis instead')
    .option('--seed <n>', "the random search's seed (default the manifest's training seed)")
    .option('--backend <name>', `auto (default), ${PROCESS_BACKENDS.join(', ')}`)
    .option('--json', 'print each point with its runs and metrics (mean ± sd) as JSON')
    .action(async (project, opts) => withServices(version, async (s) => (await sweepModule()).sweepCommand(s, project, opts)));

  const jobs = program
    .command('jobs')
    .description('the job queue: open jobs (sweep trainings), oldest first')
    .option('--sweep <id>', "only this sweep's jobs (ended ones too)")
    .option('--all', 'ended jobs too')
    .option('--json', 'print the jobs as JSON')
    .action(async (opts) => withServices(version, async (s) => (await sweepModule()).jobsCommand(s, opts)));
  for (const action of ['cancel', 'pause', 'resume'] as const) {
    jobs
      .command(action)
      .argument('<id>', 'a sweep id or a job id (or 8+ of its first characters)')
      .description(`${action} a sweep's jobs, or one job`)
      .option('--json', 'print what changed as JSON')
      // `jobs` has its own --json: given after the id, Commander hands it to the parent command.
      .action(async (id, _opts, command: Command) => withServices(version, async (s) => (await sweepModule()).jobsActionCommand(s, action, id, command.optsWithGlobals())));
  }

  program
    .command('worker')
    .description('train jobs queued on Redis (by sweep --redis) on this machine until stopped')
    .option('--redis <url>', 'the Redis the jobs are queued on (redis://host:port)')
    .option('--concurrency <n>', 'trainings side by side (default: one per core)')
    .option('--lock-ms <ms>', 'how long a job stays with a worker that stopped answering before another takes it (default 30000)')
    .action(async (opts) => (await import('./worker-command.js')).workerCommand(opts));
}
