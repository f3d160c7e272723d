import type { ClientResponse } from "hono/client";
import { useEffect, useState } from "preact/hooks";
import { answer, ApiError, type Answer, type Gettable } from "./api.ts";

/** The last good answer per path: a page visited again shows it at once while it is refreshed. */
const remembered = new Map<string, unknown>();

type State<T> = { data?: T; error?: ApiError; loading: boolean };
export type Resource<T> = State<T> & { reload(): void };

/** GETs `route` with `args` on mount and on `reload()`; keeps showing the last data when a refresh fails. */
export function useApi<A, R extends ClientResponse<unknown>>(route: Gettable<A, R>, args: A): Resource<Answer<R>> {
  const path = route.$path(args);
  const [state, setState] = useState<State<Answer<R>>>(() => ({ data: remembered.get(path) as Answer<R> | undefined, loading: true }));
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setState((s) => ({ data: s.data, loading: true }));
    answer(route.$get(args)).then(
      (data) => {
        remembered.set(path, data);
        if (current) setState({ data, loading: false });
      },
      (error: ApiError) => {
        if (current) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => { current = false; };
  }, [path, attempt]);

  return { ...state, reload: () => setAttempt((n) => n + 1) };
}
