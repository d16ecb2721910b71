// Trains a run in this browser's GPU (WebGL/WebGPU worker) and reports every trainer-protocol message to the core,
// so the run is recorded, shown live and stored like one trained by the training process.
import { useEffect, useRef } from 'react';
import type { TrainerReport } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';
import { startBrowserTrainer, type BrowserTrainerHandle } from '../../trainer/browser-trainer';

export function useBrowserTraining() {
  const running = useRef(new Map<string, BrowserTrainerHandle>());

  // A cancel from anywhere (this window's button, another window, the CLI) stops the worker.
  useEvent('training:finished', (run) => {
    running.current.get(run.id)?.cancel();
    running.current.delete(run.id);
  });
  useEffect(() => {
    const handles = running.current;
    return () => handles.forEach((h) => h.cancel());
  }, []);

  return {
    isRunningHere: (runId: string) => running.current.has(runId),
    async start(projectId: string, backend: 'webgl' | 'webgpu') {
      const { run, manifest, data } = await api.invoke('training:startInBrowser', { projectId, backend });
      const report = (message: TrainerReport) => void api.invoke('training:report', { runId: run.id, message }).catch(() => {});
      const handle = startBrowserTrainer(
        {
          manifest,
          backend,
          data: {
            xTrain: Float32Array.from(data.xTrain),
            yTrain: Float32Array.from(data.yTrain),
            nTrain: data.nTrain,
            xTest: Float32Array.from(data.xTest),
            yTest: Float32Array.from(data.yTest),
            nTest: data.nTest,
            nFeatures: data.nFeatures,
            labels: data.labels,
          },
        },
        {
          onStarted: (info) => report(info),
          onBatch: (progress) => report({ kind: 'batch', progress }),
          onEpoch: (record) => report({ kind: 'epoch', record }),
        },
      );
      running.current.set(run.id, handle);
      void handle.outcome.then((outcome) => {
        running.current.delete(run.id);
        if (outcome.kind === 'done') {
          const { metrics, labels, confusionMatrix, seconds, samplesPerSecond } = outcome.result;
          report({ kind: 'done', result: { metrics, labels, confusionMatrix, seconds, samplesPerSecond } });
        } else report(outcome);
      });
      return run;
    },
  };
}
