// The backend menu's entries: only what can train here enabled; a missing backend is shown disabled with why.
import { AUTO_LABEL, BACKEND_MENU_ORDER, type RunBackendChoice } from '../../../../shared/backends';
import type { ResponseOf } from '../../../../shared/contract';
import type { BrowserBackend } from './browser-gpu';

export type BackendOption = RunBackendChoice;

export interface BackendChoice {
  readonly value: BackendOption;
  readonly label: string;
  /** Why it cannot train here; null when it can. */
  readonly unavailable: string | null;
}

type MachineRows = ResponseOf<'machine:backends'>['backends'];

/** Each menu entry from what "This machine" reports and what this page's Chromium detects. */
export function backendChoices(rows: MachineRows | undefined, browser: readonly BrowserBackend[] | null): BackendChoice[] {
  return BACKEND_MENU_ORDER.map((value) => {
    if (value === 'auto') return { value, label: AUTO_LABEL, unavailable: null };
    const row = rows?.find((r) => r.backend === value);
    const seen = browser?.find((b) => b.backend === value);
    // Until this machine answers (a moment after the tab opens) nothing is known missing: the entries stay usable.
    const unavailable = row && !row.installed ? (row.reason ?? 'not available here') : seen && !seen.device ? (seen.reason ?? 'not available here') : null;
    const where = seen?.device ? (seen.software ? ` (software renderer, not a GPU: ${seen.device})` : ` (the GPU, through Chromium: ${seen.device})`) : '';
    const label = unavailable ? `${value} — unavailable: ${unavailable}` : !rows ? `${value} (checking…)` : `${value}${where}`;
    return { value, label, unavailable };
  });
}
