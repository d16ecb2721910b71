// Runs a model-impact analysis for a project: Start (a newer start replaces a running one in the core), Cancel,
// progress from `impact:modelProgress`. A cancelled or interrupted run keeps its finished trainings in the store,
// so the next Start resumes from them (the result says how many it reused). On open, the project's last finished
// analysis (and the last bisect on it) is read back from the store, so a reload shows it again.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModelBisectResult, ModelImpact, ModelImpactProgress, ModelImpactRequest } from '../../../../shared/impact';
import { api, ApiError } from '../../api/client';
import { useEvent } from '../../api/hooks';

export type RunState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: ModelImpactProgress | null }
  | { readonly kind: 'cancelled'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

/** The analysis shown: when it finished, and whether it came back from the store (a reload) or from this Start. */
export interface ShownAnalysis {
  readonly report: ModelImpact;
  readonly analysedAt: string;
  readonly stored: boolean;
  /** The last bisect on this analysis, kept with it in the store. */
  readonly bisect: ModelBisectResult | null;
}

export function useModelImpact(projectId: string) {
  const [state, setState] = useState<RunState>({ kind: 'idle' });
  const [shown, setShown] = useState<ShownAnalysis | null>(null);
  // Only the latest Start may settle the state: an older one answers "cancelled" when a newer one replaced it.
  // The stored analysis read on open counts as generation 0: a Start made before it arrives wins.
  const generation = useRef(0);

  useEffect(() => {
    let live = true;
    generation.current = 0;
    setShown(null);
    api
      .invoke('impact:lastModel', { projectId })
      .then((last) => {
        if (live && last && generation.current === 0) setShown({ report: last.report, analysedAt: last.analysedAt, stored: true, bisect: last.bisect });
      })
      .catch((err: Error) => live && setState({ kind: 'failed', message: `Could not read the last analysis: ${err.message}` }));
    return () => {
      live = false;
    };
  }, [projectId]);

  useEvent('impact:modelProgress', (p) => {
    if (p.projectId !== projectId) return;
    setState((s) => (s.kind === 'running' ? { kind: 'running', progress: p } : s));
  });

  const start = useCallback(
    async (request: ModelImpactRequest) => {
      const mine = ++generation.current;
      setState({ kind: 'running', progress: null });
      try {
        const model = await api.invoke('impact:model', { projectId, ...request });
        if (mine !== generation.current) return;
        setShown({ report: model, analysedAt: new Date().toISOString(), stored: false, bisect: null });
        setState({ kind: 'idle' });
      } catch (err) {
        if (mine !== generation.current) return;
        const message = (err as Error).message;
        setState(err instanceof ApiError && err.kind === 'conflict' ? { kind: 'cancelled', message } : { kind: 'failed', message });
      }
    },
    [projectId],
  );

  const cancel = useCallback(async () => {
    try {
      await api.invoke('impact:cancelModel', { projectId });
    } catch (err) {
      setState({ kind: 'failed', message: (err as Error).message });
    }
  }, [projectId]);

  /** Keeps a finished bisect with the shown analysis (the core stored it with the same one). */
  const bisected = useCallback((bisect: ModelBisectResult) => setShown((s) => (s ? { ...s, bisect } : s)), []);

  return { state, result: shown?.report ?? null, shown, start, cancel, bisected };
}
