import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  // The training worker (renderer/src/trainer) loads the WebGPU backend on demand, which needs ES-module workers.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // The app, and the desktop app's hidden trainer window (a Chromium context for WebGPU/WebGL training).
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        trainer: fileURLToPath(new URL('trainer.html', import.meta.url)),
      },
    },
  },
});
