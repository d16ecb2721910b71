// Entry point of a training process: receives one job over IPC (and, for an `askBackend` job, the host's choice of
// backend), streams progress back, then exits.
import { toErrorShape } from '../app-error.js';
import { mulberry32 } from './portable/seeded-random.js';
import { parentWatch } from './parent-liveness.js';
import { runTrainingJob } from './train-model.js';
import type { ProcessBackend } from '../../../shared/backends.js';
import type { FromTrainer, ProbeFigure, ToTrainer } from './portable/trainer-protocol.js';

const send = (m: FromTrainer) => process.send?.(m);
const finish = (m: FromTrainer) => process.send?.(m, undefined, undefined, () => process.exit(0));

// A host killed with SIGKILL never says goodbye, and `disconnect` cannot fire while a batch loop runs: the loop
// asks this before every batch, and a run whose host is gone stops there, writing no checkpoint.
const parentGone = parentWatch();

// For an `askBackend` job: the figures go to the host, which answers with the backend to train on (or none).
const askHost = (probes: readonly ProbeFigure[]) =>
  new Promise<ProcessBackend | null>((resolve) => {
    const onAnswer = (m: ToTrainer) => {
      if (m.kind !== 'use') return;
      process.off('message', onAnswer);
      resolve(m.backend);
    };
    process.on('message', onAnswer);
    send({ kind: 'measured', probes: [...probes] });
  });

process.once('message', (message: ToTrainer) => {
  if (message.kind !== 'start') return;
  // This process only trains: seeding Math.random makes every unseeded draw (dropout masks among them)
  // repeat from run to run, so the same manifest, commit and backend give the same metrics.
  Math.random = mulberry32(message.job.manifest.training.seed ^ 0x5eed);
  runTrainingJob(message.job, send, parentGone, message.job.askBackend ? askHost : undefined)
    .then((answer) => (parentGone() ? process.exit(0) : finish(answer)))
    .catch((err: unknown) => (parentGone() ? process.exit(0) : finish({ kind: 'failed', message: toErrorShape(err).message })));
});

// If the app goes away, the training process goes with it.
process.on('disconnect', () => process.exit(0));
