// Clones a project through the API, following git's progress for that clone, with cancel.
import { useRef, useState } from 'react';
import type { EventPayload, Project } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';

export interface CloneState {
  busy: boolean;
  progress: EventPayload<'clone:progress'> | null;
  error: string | null;
  canCancel: boolean;
  clone(source: string, options?: { depth?: number; destination?: string; inPlace?: boolean }): Promise<Project | null>;
  cancel(): void;
}

export function useClone(): CloneState {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<EventPayload<'clone:progress'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [projectId, setProjectId] = useState<string | null>(null);
  const source = useRef<string | null>(null);

  useEvent('projects:changed', (p) => {
    if (source.current !== null && p.status === 'cloning' && sameSource(p.source, source.current)) setProjectId(p.id);
  });
  useEvent('clone:progress', (p) => {
    if (p.projectId === projectId) setProgress(p);
  });

  return {
    busy,
    progress,
    error,
    canCancel: projectId !== null,
    async clone(from: string, options = {}) {
      source.current = from;
      setBusy(true);
      setError(null);
      setProgress(null);
      try {
        return await api.invoke('projects:add', { source: from, ...options });
      } catch (err) {
        setError((err as Error).message);
        return null;
      } finally {
        source.current = null;
        setBusy(false);
        setProjectId(null);
      }
    },
    cancel() {
      if (projectId) void api.invoke('projects:cancelClone', { projectId });
    },
  };
}

/** The core records a folder as an absolute path; compare loosely so the clone typed is recognised. */
function sameSource(recorded: string, typed: string): boolean {
  const norm = (s: string) => s.trim().replace(/[\\/]+$/, '');
  return norm(recorded) === norm(typed) || norm(recorded).endsWith(norm(typed).replace(/^\.\//, ''));
}
