// What this page's Chromium offers the GPU backends: the WebGPU adapter and the WebGL renderer by name, and whether
// either is a software renderer (SwiftShader and the like) rather than a GPU.
import type { ChromiumBackend } from '../../../../shared/backends';
import { adapterName, isSoftwareAdapter, isSoftwareRenderer, requestGpuAdapter } from '../../trainer/software-renderer';

export interface BrowserBackend {
  readonly backend: ChromiumBackend;
  /** The adapter's or renderer's name; null when the backend cannot start here. */
  readonly device: string | null;
  /** The CPU drawing through a GPU API: it works, but is no GPU. */
  readonly software: boolean;
  readonly reason: string | null;
}

let detected: Promise<BrowserBackend[]> | null = null;

/** Detected once per page: asking for an adapter is not free, and the answer does not change while the page lives. */
export function detectBrowserGpu(): Promise<BrowserBackend[]> {
  detected ??= detect();
  return detected;
}

async function detect(): Promise<BrowserBackend[]> {
  const out: BrowserBackend[] = [];
  try {
    const adapter = await requestGpuAdapter();
    out.push({ backend: 'webgpu', device: adapterName(adapter) || 'an adapter', software: isSoftwareAdapter(adapter), reason: null });
  } catch (err) {
    out.push({ backend: 'webgpu', device: null, software: false, reason: (err as Error).message });
  }
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) out.push({ backend: 'webgl', device: null, software: false, reason: 'no WebGL 2 context (GPU blocked or disabled)' });
  else {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const name = debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : 'WebGL 2';
    out.push({ backend: 'webgl', device: name, software: isSoftwareRenderer(name), reason: null });
  }
  return out;
}
