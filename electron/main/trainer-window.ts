// The desktop app's Chromium trainer: a hidden window on the app's own page trainer.html, opened when the core has
// a WebGPU/WebGL job and kept while the app runs. It uses the machine's GPU through Chromium (any vendor: Metal on a
// Mac, D3D/Vulkan/GL elsewhere) and talks to the core over the same preload and contract as the visible window.
import { BrowserWindow } from 'electron';
import type { ChromiumContexts } from '../core/training/chromium-trainer-broker.js';

export interface TrainerWindow extends ChromiumContexts {
  close(): void;
}

export function hiddenTrainerWindow(preload: string, appOrigin: string): TrainerWindow {
  let win: BrowserWindow | null = null;
  let closing = false;
  return {
    unavailable: () => (closing ? 'the app is closing' : null),
    wake() {
      if (closing || (win && !win.isDestroyed())) return;
      const opened = new BrowserWindow({
        show: false,
        title: 'ModelCommons trainer',
        webPreferences: {
          preload,
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          webSecurity: true,
          spellcheck: false,
          // Training must not slow down because the window is hidden.
          backgroundThrottling: false,
        },
      });
      opened.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      opened.webContents.on('will-navigate', (event) => event.preventDefault());
      // A crashed or killed renderer: forget it; the next job opens a fresh one (the core fails the run it had).
      opened.webContents.on('render-process-gone', () => {
        if (!opened.isDestroyed()) opened.destroy();
      });
      opened.on('closed', () => {
        if (win === opened) win = null;
      });
      void opened.loadURL(`${appOrigin}/trainer.html`);
      win = opened;
    },
    close() {
      closing = true;
      if (win && !win.isDestroyed()) win.destroy();
      win = null;
    },
  };
}
