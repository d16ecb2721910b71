// A running clone: git's phase and percent, and a cancel button.
import { ProgressBar } from '../../app/ProgressBar';
import type { CloneState } from './useClone';

export function CloneProgress({ state }: { state: CloneState }) {
  if (!state.busy) return null;
  const p = state.progress;
  const objects = p?.total ? ` (${p.processed?.toLocaleString()}/${p.total.toLocaleString()})` : '';
  return (
    <div className="clone-progress">
      <ProgressBar label={p ? `${p.stage} ${p.percent}%${objects}` : 'Starting clone…'} value={p ? p.percent / 100 : null} />
      <button type="button" onClick={state.cancel} disabled={!state.canCancel}>
        Cancel clone
      </button>
    </div>
  );
}
