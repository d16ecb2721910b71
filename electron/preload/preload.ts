// The preload bridge: exposes only invoke(channel, request) and on(event, callback), for names in the contract.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, isChannel, isEventName, type EventMessage } from '../../shared/contract.js';

contextBridge.exposeInMainWorld('modelcommons', {
  invoke(channel: string, request: unknown): Promise<unknown> {
    if (!isChannel(channel)) return Promise.reject(new Error(`Unknown channel "${channel}"`));
    return ipcRenderer.invoke(channel, request);
  },
  on(event: string, callback: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`Unknown event "${event}"`);
    const listener = (_e: IpcRendererEvent, message: EventMessage) => {
      if (message.name === event) callback(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, listener);
  },
});
