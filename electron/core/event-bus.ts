// A typed event bus: the core announces progress here and every host forwards it over its own transport.
import { EventEmitter } from 'node:events';
import type { EventMessage, EventName, EventPayload } from '../../shared/contract.js';

export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(100);

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', { name, payload } satisfies EventMessage<E>);
  }

  /** Listens to one event, typed. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((message) => {
      if (message.name === name) listener(message.payload as EventPayload<E>);
    });
  }

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
