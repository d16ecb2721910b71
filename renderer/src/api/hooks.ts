// React hooks over the API client: load a channel's answer, and follow an event.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../../../shared/contract';
import { api } from './client';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function useQuery<C extends Channel>(channel: C, request: RequestOf<C> | null): Loaded<ResponseOf<C>> {
  const [data, setData] = useState<ResponseOf<C>>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(request);

  useEffect(() => {
    if (request === null) return;
    let live = true;
    setLoading(true);
    api
      .invoke(channel, request)
      .then((value) => live && (setData(value), setError(null)))
      .catch((err: Error) => live && setError(err.message))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [channel, key, tick]);

  return { data, error, loading, reload: useCallback(() => setTick((t) => t + 1), []) };
}

export function useEvent<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): void {
  const ref = useRef(callback);
  ref.current = callback;
  useEffect(() => api.on(event, (p) => ref.current(p)), [event]);
}
