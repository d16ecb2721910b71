// The only module that talks to a host: picks the transport at runtime (preload bridge or HTTP/WebSocket) and
// gives components typed calls; no component knows which host it runs in.
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../../../shared/contract';
import { httpTransport } from './http-transport';
import { ipcTransport } from './ipc-transport';
import type { Transport } from './transport';

export class ApiError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

function pickTransport(): Transport {
  if (window.modelcommons) return ipcTransport(window.modelcommons);
  // The token came in the URL and now lives in a cookie; keep it out of the address bar and history.
  const url = new URL(window.location.href);
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url);
  }
  return httpTransport(new URL('/', window.location.href));
}

const transport = pickTransport();

export const api = {
  host: transport.kind,
  async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const envelope = await transport.invoke(channel, request);
    if (!envelope.ok) throw new ApiError(envelope.error.kind, envelope.error.message);
    return envelope.value as ResponseOf<C>;
  },
  on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void {
    return transport.on(event, callback as (p: unknown) => void);
  },
};
