// Entry point of a training-pool worker: a long-lived Node process that trains job after job with the app's own
// trainModel, so the process start and the tfjs/wasm start-up are paid once per worker, not once per training.
import type { EpochRecord } from '../../../shared/contract.js';
import { toErrorShape } from '../app-error.js';
import { mulberry32 } from '../training/data/index.js';
import { trainModel } from '../training/train-model.js';
import type { FromPoolWorker, ToPoolWorker } from './pool-protocol.js';

const send = (m: FromPoolWorker) => process.send?.(m);

let queue = Promise.resolve();
process.on('message', (message: ToPoolWorker) => {
  if (message.kind !== 'train') return;
  queue = queue.then(async () => {
    // Every unseeded draw (dropout masks among them) repeats for the same seed, as in the one-job trainer.
    Math.random = mulberry32(message.job.manifest.training.seed ^ 0x5eed);
    const history: EpochRecord[] = [];
    let started = { backend: String(message.job.backend), device: '' };
    try {
      const result = await trainModel(message.job, (m) => {
        if (m.kind === 'started') started = { backend: m.backend, device: m.device };
        if (m.kind !== 'epoch') return;
        history.push(m.record);
        send({ kind: 'epoch', id: message.id, record: m.record });
      });
      // JSON over IPC: the predictions as a plain array whatever array type the trainer made.
      const testPredictions = result.testPredictions ? Array.from(result.testPredictions) : undefined;
      send({ kind: 'done', id: message.id, result: { ...result, ...(testPredictions ? { testPredictions } : {}), ...started, history } });
    } catch (err) {
      send({ kind: 'failed', id: message.id, message: toErrorShape(err).message });
    }
  });
});

process.on('disconnect', () => process.exit(0));
send({ kind: 'ready' });
