import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelName, InputOf, OutputOf } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { useLocaleIfAny } from '../app/i18n';
import { ApiFailure, call } from './client';

// Small data hooks around the typed client, so screens never hand-roll fetches in effects.

export interface Query<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiFailure ? error.error : { code: 'internal', message: String((error as Error)?.message ?? error) };
}

/**
 * Calls a channel and re-calls it when `input` changes (compared as JSON), or the UI language:
 * texts the back end words for the caller (a rule's reason) then come in the new language.
 */
export function useQuery<N extends ChannelName>(name: N, input: InputOf<N>, options: { enabled?: boolean } = {}): Query<OutputOf<N>> {
  const [data, setData] = useState<OutputOf<N>>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(options.enabled !== false);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(input);
  const enabled = options.enabled !== false;
  const locale = useLocaleIfAny();
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setLoading(true);
    (call as (n: N, i: unknown) => Promise<OutputOf<N>>)(name, JSON.parse(key)).then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(toApiError(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [name, key, generation, enabled, locale]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}

export interface Action<N extends ChannelName> {
  run(input: InputOf<N>): Promise<OutputOf<N> | undefined>;
  pending: boolean;
  error: ApiError | undefined;
  clearError(): void;
}

/**
 * A channel call started by the user. While one is pending a second `run` is ignored, so a
 * double press of Enter or a double click sends one request.
 */
export function useAction<N extends ChannelName>(name: N): Action<N> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const busy = useRef(false);
  const run = useCallback(
    async (input: InputOf<N>) => {
      if (busy.current) return undefined;
      busy.current = true;
      setPending(true);
      setError(undefined);
      try {
        return await (call as (n: N, i: unknown) => Promise<OutputOf<N>>)(name, input);
      } catch (e) {
        setError(toApiError(e));
        return undefined;
      } finally {
        busy.current = false;
        setPending(false);
      }
    },
    [name],
  );
  return { run, pending, error, clearError: () => setError(undefined) };
}
