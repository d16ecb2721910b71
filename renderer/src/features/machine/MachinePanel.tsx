// "This machine": every training backend, where it runs, its last probe figure, and why any is unavailable —
// Chromium's GPU backends (WebGPU, WebGL; detected in this page, probed by `auto`) and the training process's
// (tfjs-node-gpu, tfjs-node, wasm, cpu).
import { useEffect, useState } from 'react';
import { useQuery } from '../../api/hooks';

interface BrowserBackend {
  backend: 'webgpu' | 'webgl';
  device: string | null;
  reason: string | null;
}

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
                  {b.device ? `the GPU through Chromium: ${b.device}` : <span className="muted">unavailable: {b.reason}</span>}
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
                    'installed; measured at the next auto run'
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

async function detectBrowserGpu(): Promise<BrowserBackend[]> {
  const out: BrowserBackend[] = [];
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; description?: string; architecture?: string } } | null> } }).gpu;
  if (!gpu) out.push({ backend: 'webgpu', device: null, reason: 'this browser has no WebGPU' });
  else {
    try {
      const adapter = await gpu.requestAdapter();
      const info = adapter?.info;
      out.push(
        adapter
          ? { backend: 'webgpu', device: [info?.vendor, info?.description || info?.architecture].filter(Boolean).join(' ') || 'an adapter', reason: null }
          : { backend: 'webgpu', device: null, reason: 'no WebGPU adapter' },
      );
    } catch (err) {
      out.push({ backend: 'webgpu', device: null, reason: (err as Error).message });
    }
  }
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) out.push({ backend: 'webgl', device: null, reason: 'no WebGL 2 context (GPU blocked or disabled)' });
  else {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    out.push({ backend: 'webgl', device: debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : 'WebGL 2', reason: null });
  }
  return out;
}
