// The browser transport for `modelcommons serve`: requests over HTTP POST, events over one WebSocket that
// reconnects by itself. The token travels in an HttpOnly cookie the first page load set.
import type { Envelope, EventMessage } from '../../../shared/contract';
import { browserBase64, wireJson } from '../../../shared/wire-json';
import type { Transport } from './transport';

/** JSON whose typed arrays (training data, checkpoints) travel as base64 and come back typed. */
const wire = wireJson(browserBase64);

export function httpTransport(base: URL): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;

  const connect = () => {
    const url = new URL('api/events', base);
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onopen = () => {
      retry = 500;
    };
    socket.onmessage = (e) => {
      const message = wire.parse(String(e.data)) as EventMessage;
      listeners.get(message.name)?.forEach((cb) => cb(message.payload));
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };
  connect();

  return {
    kind: 'http',
    async invoke(channel, request) {
      let response: Response;
      try {
        response = await fetch(new URL(`api/invoke/${encodeURIComponent(channel)}`, base), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: wire.stringify(request ?? {}),
        });
      } catch {
        return { ok: false, error: { kind: 'internal', message: 'The ModelCommons server cannot be reached; is `modelcommons serve` still running?' } };
      }
      if (!response.ok) {
        return { ok: false, error: { kind: 'internal', message: (await response.text()).slice(0, 200) } };
      }
      return wire.parse(await response.text()) as Envelope<unknown>;
    },
    on(event, callback) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(callback);
      return () => set.delete(callback);
    },
  };
}
