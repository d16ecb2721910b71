// Entry point of a training process: receives one job over IPC, streams progress back, then exits.
import { toErrorShape } from '../app-error.js';
import { trainModel } from './train-model.js';
import type { FromTrainer, ToTrainer } from './trainer-protocol.js';

const send = (m: FromTrainer) => process.send?.(m);
const finish = (m: FromTrainer) => process.send?.(m, undefined, undefined, () => process.exit(0));

process.once('message', (message: ToTrainer) => {
  if (message.kind !== 'start') return;
  trainModel(message.job, send)
    .then((result) => finish({ kind: 'done', result }))
    .catch((err: unknown) => finish({ kind: 'failed', message: toErrorShape(err).message }));
});

// If the app goes away, the training process goes with it.
process.on('disconnect', () => process.exit(0));
