/* global document */
// Device probe (bench/gpu-device/run.sh): which Chromium flag sets give a real WebGPU adapter and a hardware WebGL renderer.
import { createRequire } from 'node:module';
const require = createRequire(process.env.PW_FROM);
const { chromium } = require('playwright-core');
const sets = {
  vulkan: ['--ignore-gpu-blocklist', '--enable-features=Vulkan', '--use-angle=vulkan', '--disable-vulkan-surface'],
  vulkanDefault: ['--ignore-gpu-blocklist', '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan', '--use-angle=vulkan', '--use-vulkan=native', '--disable-vulkan-surface', '--disable-vulkan-fallback-to-gl-for-testing'],
  egl: ['--ignore-gpu-blocklist', '--use-gl=angle', '--use-angle=gl-egl'],
};
for (const [name, args] of Object.entries(sets)) {
  const t0 = Date.now();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--enable-unsafe-webgpu', ...args], timeout: 30000 });
    const page = await browser.newPage();
    const info = await page.evaluate(async () => {
      const out = {};
      try {
        const a = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
        out.webgpu = a ? JSON.stringify(a.info ?? {}) : 'no adapter';
      } catch (e) { out.webgpu = 'error ' + e; }
      const c = document.createElement('canvas').getContext('webgl2');
      const d = c?.getExtension('WEBGL_debug_renderer_info');
      out.webgl = c ? (d ? c.getParameter(d.UNMASKED_RENDERER_WEBGL) : c.getParameter(c.RENDERER)) : 'no webgl2';
      return out;
    });
    console.log(`probe ${name} (${Date.now() - t0} ms): ${JSON.stringify(info)}`);
  } catch (e) {
    console.log(`probe ${name}: launch failed: ${String(e).split('\n').slice(0, 3).join(' | ')}`);
  } finally {
    await browser?.close().catch(() => {});
  }
}
