// Runs a model-impact analysis for a project: Start (a newer start replaces a running one in the core), Cancel,
// progress from `impact:modelProgress`. A cancelled or interrupted run keeps its finished trainings in the store,
// so the next Start resumes from them (the result says how many it reused).
import { useCallback, useRef, useState } from 'react';
import type { ModelImpact, ModelImpactProgress, ModelImpactRequest } from '../../../../shared/impact';
import { api, ApiError } from '../../api/client';
import { useEvent } from '../../api/hooks';

export type RunState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: ModelImpactProgress | null }
  | { readonly kind: 'cancelled'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export function useModelImpact(projectId: string) {
  const [state, setState] = useState<RunState>({ kind: 'idle' });
  const [result, setResult] = useState<ModelImpact | null>(null);
  // Only the latest Start may settle the state: an older one answers "cancelled" when a newer one replaced it.
  const generation = useRef(0);

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
        setResult(model);
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

  return { state, result, start, cancel };
}
