// What a host must offer the renderer: invoke a contract channel, and listen to contract events.
import type { Envelope } from '../../../shared/contract';

export interface Transport {
  readonly kind: 'ipc' | 'http';
  invoke(channel: string, request: unknown): Promise<Envelope<unknown>>;
  on(event: string, callback: (payload: unknown) => void): () => void;
}

/** The preload's bridge, present only inside the desktop app. */
export interface PreloadBridge {
  invoke(channel: string, request: unknown): Promise<Envelope<unknown>>;
  on(event: string, callback: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    modelcommons?: PreloadBridge;
  }
}
