// What this page's Chromium offers the GPU backends: the WebGPU adapter and the WebGL renderer by name, and whether
// either is a software renderer (SwiftShader and the like) rather than a GPU.
import { isSoftwareRenderer } from '../../trainer/software-renderer';

export interface BrowserBackend {
  readonly backend: 'webgpu' | 'webgl';
  /** The adapter's or renderer's name; null when the backend cannot start here. */
  readonly device: string | null;
  /** The CPU drawing through a GPU API: it works, but is no GPU. */
  readonly software: boolean;
  readonly reason: string | null;
}

interface GpuAdapter {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { vendor?: string; description?: string; architecture?: string; device?: string; isFallbackAdapter?: boolean };
}

let detected: Promise<BrowserBackend[]> | null = null;

/** Detected once per page: asking for an adapter is not free, and the answer does not change while the page lives. */
export function detectBrowserGpu(): Promise<BrowserBackend[]> {
  detected ??= detect();
  return detected;
}

async function detect(): Promise<BrowserBackend[]> {
  const out: BrowserBackend[] = [];
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapter | null> } }).gpu;
  if (!gpu) out.push({ backend: 'webgpu', device: null, software: false, reason: 'this browser has no WebGPU' });
  else {
    try {
      const adapter = await gpu.requestAdapter();
      const info = adapter?.info;
      const name = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'an adapter';
      out.push(
        adapter
          ? { backend: 'webgpu', device: name, software: adapter.isFallbackAdapter === true || info?.isFallbackAdapter === true || isSoftwareRenderer(name), reason: null }
          : { backend: 'webgpu', device: null, software: false, reason: 'no WebGPU adapter' },
      );
    } catch (err) {
      out.push({ backend: 'webgpu', device: null, software: false, reason: (err as Error).message });
    }
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
