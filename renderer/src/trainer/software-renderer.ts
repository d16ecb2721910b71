// Tells a software renderer (the CPU drawing through a GPU API) from a GPU by the adapter's name, and reads a WebGPU
// adapter the same way for "This machine" and for the trainer's device line.

/** Chromium's SwiftShader, Mesa's llvmpipe/softpipe, Windows' WARP ("Microsoft Basic Render Driver"). */
export function isSoftwareRenderer(adapter: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render driver|\bwarp\b/i.test(adapter);
}

/** What a WebGPU adapter says of itself (older Chromium puts isFallbackAdapter on the adapter, newer on its info). */
export interface GpuAdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
}

/** The WebGPU adapter this context offers; throws, saying which, without WebGPU or without an adapter. */
export async function requestGpuAdapter(): Promise<GpuAdapterLike> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) throw new Error('this browser has no WebGPU');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  return adapter;
}

/** The adapter's name from its info (vendor, architecture, device, description); '' when it tells none. */
export function adapterName(adapter: GpuAdapterLike): string {
  const info = adapter.info;
  return [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ');
}

/** A fallback adapter, or one whose name is a software renderer's. */
export function isSoftwareAdapter(adapter: GpuAdapterLike): boolean {
  return adapter.isFallbackAdapter === true || adapter.info?.isFallbackAdapter === true || isSoftwareRenderer(adapterName(adapter));
}
