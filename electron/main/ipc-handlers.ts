// One ipcMain handler per contract channel (names from shared/contract.ts), trusted only from the app's own pages.
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channelNames, IPC_EVENT_CHANNEL } from '../../shared/contract.js';
import type { Services } from '../core/services.js';

export function registerIpcHandlers(services: Services, appOrigin: string): void {
  const trusted = (event: IpcMainInvokeEvent) => (event.senderFrame?.url ?? '').startsWith(`${appOrigin}/`);
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!trusted(event)) {
        return { ok: false, error: { kind: 'invalid-request', message: 'Request from an untrusted page refused' } };
      }
      return services.dispatch(channel, request);
    });
  }
}

export function forwardEvents(services: Services): void {
  services.events.subscribe((message) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, message);
    }
  });
}
