// Makes this page a Chromium trainer for the core: it claims the jobs the core announces (`trainer:job`), trains or
// probes each in a worker, and reports in trainer-protocol messages. `serve`'s app pages run it; in the desktop app
// only the hidden trainer window does (trainer-window.ts), so the visible window never claims a job.
import type { ChannelApi } from './trainer-api.js';
import { startBrowserProbe, startBrowserTrainer, type WorkerHandle } from './browser-trainer.js';
import type { ResponseOf, TrainerReport } from '../../../shared/contract.js';

/** Starts serving jobs; the returned function stops it (and every worker it runs). */
export function servePageTrainer(api: ChannelApi): () => void {
  const running = new Map<string, WorkerHandle<unknown>>();
  const claiming = new Set<string>();

  const take = async (jobId: string) => {
    if (running.has(jobId) || claiming.has(jobId)) return;
    claiming.add(jobId);
    let job: ResponseOf<'trainer:claim'>;
    try {
      job = await api.invoke('trainer:claim', { jobId });
    } catch {
      return; // another page or window took it, or it ended
    } finally {
      claiming.delete(jobId);
    }
    const report = (message: TrainerReport) => api.invoke('trainer:report', { jobId, message }).catch(() => ({ accepted: false }));
    const { manifest, data, backends } = job;
    if (job.purpose === 'probe') {
      const handle = startBrowserProbe({ manifest, data, backends });
      running.set(jobId, handle);
      const outcome = await handle.outcome;
      running.delete(jobId);
      await report(outcome);
      return;
    }
    const handle = startBrowserTrainer(
      { manifest, data, backend: backends[0]!, checkpoint: true },
      {
        onStarted: (info) => void report(info),
        onBatch: (progress) => void report({ kind: 'batch', progress }),
        onEpoch: (record) => void report({ kind: 'epoch', record }),
      },
    );
    running.set(jobId, handle);
    const outcome = await handle.outcome;
    running.delete(jobId);
    await report(outcome);
  };

  const offJob = api.on('trainer:job', ({ jobId }) => void take(jobId));
  const offCancel = api.on('trainer:cancel', ({ jobId }) => running.get(jobId)?.cancel());
  return () => {
    offJob();
    offCancel();
    for (const handle of running.values()) handle.cancel();
  };
}
