// Validates every request against the contract, calls its handler, validates the response, and wraps the outcome
// in an envelope; the Electron IPC host, the loopback server and the CLI all serve the contract through this one
// function. Each channel's schemas are built on its first request (schemasOf), so a one-shot command builds few.
import { isChannel, schemasOf, type Channel, type Envelope, type ParsedRequestOf, type ResponseOf } from '../../shared/contract.js';
import { AppError, toErrorShape } from './app-error.js';

export type ApiHandlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

export type Dispatch = (channel: string, request: unknown) => Promise<Envelope<unknown>>;

export function createDispatcher(handlers: ApiHandlers): Dispatch {
  return async (channel, raw) => {
    try {
      if (!isChannel(channel)) throw new AppError('invalid-request', `Unknown channel "${channel}"`);
      const schema = schemasOf(channel);
      const parsed = schema.request.safeParse(raw ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = issue.path.join('.') || 'request';
        throw new AppError('invalid-request', `${channel}: ${key}: ${issue.message}`);
      }
      const handler = handlers[channel] as (r: unknown) => Promise<unknown>;
      const value = schema.response.parse(await handler(parsed.data));
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toErrorShape(err) };
    }
  };
}
