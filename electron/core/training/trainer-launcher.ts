// Starts a training process (a Node child, off the app's event loop) and turns its messages into callbacks.
import { fork } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ProcessBackend } from '../../../shared/backends.js';
import type { TrainingPhase } from '../../../shared/contract.js';
import { chooseHere } from './auto-backend.js';
import type { BatchProgress, FromTrainer, ProbeFigure, ToTrainer, TrainJob, TrainResult } from './portable/trainer-protocol.js';

export interface TrainerHandlers {
  onStarted?(info: Extract<FromTrainer, { kind: 'started' }>): void;
  onBatch?(progress: BatchProgress): void;
  onPhase?(phase: TrainingPhase): void;
  onEpoch(record: Extract<FromTrainer, { kind: 'epoch' }>['record']): void;
  /**
   * An `askBackend` job measured this process's backends: which to train on, or null for none (the process then
   * ends with `probed`). A rejection fails the run with its message. By default the fastest of them.
   */
  onMeasured?(probes: ProbeFigure[]): Promise<ProcessBackend | null>;
}

export type TrainerOutcome =
  | { kind: 'done'; result: TrainResult }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' }
  /** A `probeOnly` job measured the backends (or an `askBackend` job was told to train nothing here). */
  | { kind: 'probed'; probes: ProbeFigure[] };

export interface TrainerHandle {
  readonly pid: number | undefined;
  readonly outcome: Promise<TrainerOutcome>;
  cancel(): void;
}

export interface TrainerScript {
  readonly file: string;
  readonly execArgv: string[];
}

/** The built trainer sits beside the built host (dist/trainer.js); from sources, tsx runs the TS entry. */
export function defaultTrainerScript(): TrainerScript {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // tsx by its file URL: a bare `tsx` resolves from the working directory, which may be any folder (the CLI from
    // sources, run in a person's own repository).
    return { file: path.join(path.dirname(here), 'trainer-entry.ts'), execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] };
  }
  return { file: path.join(path.dirname(here), 'trainer.js'), execArgv: [] };
}

export function launchTrainer(job: TrainJob, handlers: TrainerHandlers, script = defaultTrainerScript()): TrainerHandle {
  const child = fork(script.file, [], {
    execArgv: script.execArgv,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let cancelled = false;
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });

  const outcome = new Promise<TrainerOutcome>((resolve) => {
    let settled: TrainerOutcome | null = null;
    let refused: string | null = null;
    const answer = (m: ToTrainer) => {
      if (child.connected) child.send(m);
    };
    child.on('message', (m: FromTrainer) => {
      if (m.kind === 'started') handlers.onStarted?.(m);
      else if (m.kind === 'batch') handlers.onBatch?.(m.progress);
      else if (m.kind === 'phase') handlers.onPhase?.(m.phase);
      else if (m.kind === 'epoch') handlers.onEpoch(m.record);
      else if (m.kind === 'done') settled = { kind: 'done', result: m.result };
      else if (m.kind === 'measured') {
        // The host decides (auto-backend.ts); the process waits for its answer.
        Promise.resolve()
          .then(() => (handlers.onMeasured ? handlers.onMeasured(m.probes) : chooseHere(m.probes)))
          .then(
            (backend) => answer({ kind: 'use', backend }),
            (err: unknown) => {
              refused = err instanceof Error ? err.message : String(err);
              answer({ kind: 'use', backend: null });
            },
          );
      } else if (m.kind === 'probed') settled = refused ? { kind: 'failed', message: refused } : { kind: 'probed', probes: m.probes };
      else settled = { kind: 'failed', message: m.message };
    });
    child.on('error', (err) => {
      settled ??= { kind: 'failed', message: `The training process could not start: ${err.message}` };
    });
    child.on('exit', (code, signal) => {
      if (cancelled) return resolve({ kind: 'cancelled' });
      if (settled) return resolve(settled);
      const lastLine = stderrTail.trim().split('\n').filter(Boolean).at(-1);
      resolve({
        kind: 'failed',
        message: `The training process stopped unexpectedly (${signal ?? `exit code ${code}`})${lastLine ? `: ${lastLine}` : ''}`,
      });
    });
  });

  child.send({ kind: 'start', job } satisfies ToTrainer);
  return {
    pid: child.pid,
    outcome,
    cancel() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      cancelled = true;
      child.kill('SIGTERM');
    },
  };
}
