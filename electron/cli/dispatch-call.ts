// The CLI's requests go through the validated dispatcher, like the desktop app's and the server's: one contract.
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract.js';
import type { ServiceGraph } from '../core/service-graph.js';

/** The channel's response, or its one-line error thrown (the top level prints it and exits 1). */
export async function call<C extends Channel>(services: Pick<ServiceGraph, 'dispatch'>, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const reply = await services.dispatch(channel, request);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as ResponseOf<C>;
}
