// "This machine": every training backend, where it runs, its last probe figure, and why any is unavailable —
// Chromium's GPU backends (WebGPU, WebGL; detected in this page, probed by `auto`) and the training process's
// (tfjs-node-gpu, tfjs-node, wasm, cpu).
import { useEffect, useState } from 'react';
import { useQuery } from '../../api/hooks';
import { detectBrowserGpu, type BrowserBackend } from './browser-gpu';

export function MachinePanel() {
  const machine = useQuery('machine:backends', {});
  const [browser, setBrowser] = useState<BrowserBackend[] | null>(null);
  useEffect(() => {
    void detectBrowserGpu().then(setBrowser);
  }, []);
  const rows = machine.data?.backends ?? [];

  return (
    <details className="machine" onToggle={(e) => (e.currentTarget.open ? machine.reload() : undefined)}>
      <summary>This machine</summary>
      {machine.error && <p className="error">{machine.error}</p>}
      <table className="data-table" aria-label="Training backends on this machine">
        <tbody>
          {browser?.map((b) => {
            const probe = rows.find((r) => r.backend === b.backend)?.lastProbe ?? null;
            return (
              <tr key={b.backend}>
                <th scope="row">{b.backend}</th>
                <td>
                  {!b.device ? (
                    <span className="muted">unavailable: {b.reason}</span>
                  ) : b.software ? (
                    `a software renderer through Chromium, not a GPU: ${b.device}`
                  ) : (
                    `the GPU through Chromium: ${b.device}`
                  )}
                  {probe && <ProbeFigure probe={probe} />}
                </td>
              </tr>
            );
          })}
          {rows
            .filter((b) => b.runsIn === 'training process')
            .map((b) => (
              <tr key={b.backend}>
                <th scope="row">{b.backend}</th>
                <td>
                  {!b.installed ? (
                    <span className="muted">unavailable: {b.reason}</span>
                  ) : b.lastProbe ? (
                    <ProbeFigure probe={b.lastProbe} />
                  ) : (
                    'installed; measured in the background when a project opens'
                  )}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      {machine.data && <p className="muted small">Training process CPU: {machine.data.cpu}</p>}
    </details>
  );
}

function ProbeFigure({ probe }: { probe: { samplesPerSecond: number | null; reason: string | null } }) {
  return probe.samplesPerSecond != null ? (
    <span className="probe"> {Math.round(probe.samplesPerSecond).toLocaleString()} samples/s in the last probe</span>
  ) : (
    <span className="muted"> last probe: {probe.reason}</span>
  );
}
