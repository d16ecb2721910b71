// The desktop app's transport: the preload bridge over Electron IPC.
import type { PreloadBridge, Transport } from './transport';

export function ipcTransport(bridge: PreloadBridge): Transport {
  return { kind: 'ipc', invoke: (c, r) => bridge.invoke(c, r), on: (e, cb) => bridge.on(e, cb) };
}
