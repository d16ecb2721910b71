// The part of the API client a Chromium trainer uses: claiming and reporting on jobs, and hearing about them.
import type { EventName, EventPayload, RequestOf, ResponseOf } from '../../../shared/contract.js';

type TrainerChannel = 'trainer:claim' | 'trainer:report';

export interface ChannelApi {
  invoke<C extends TrainerChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void;
}
