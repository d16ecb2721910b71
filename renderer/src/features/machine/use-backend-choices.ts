// The backend menu's entries for this page, from "This machine"'s answer and what this page's Chromium detects.
import { useEffect, useState } from 'react';
import { useQuery } from '../../api/hooks';
import { backendChoices, type BackendChoice } from './backend-choices';
import { detectBrowserGpu, type BrowserBackend } from './browser-gpu';

/** The menu's entries, refreshed with "This machine"'s answer (installed packages, a Chromium context to train in). */
export function useBackendChoices(): BackendChoice[] {
  const machine = useQuery('machine:backends', {});
  const [browser, setBrowser] = useState<BrowserBackend[] | null>(null);
  useEffect(() => {
    let live = true;
    void detectBrowserGpu().then((b) => live && setBrowser(b));
    return () => {
      live = false;
    };
  }, []);
  return backendChoices(machine.data?.backends, browser);
}
