import type { ClientResponse } from "hono/client";
import { useEffect, useRef, useState } from "preact/hooks";
import { answer, ApiError, type Answer, type Gettable } from "./api.ts";

/** The last good answer per path: a page visited again shows it at once while it is refreshed. */
const remembered = new Map<string, unknown>();

type State<T> = { data?: T; error?: ApiError; loading: boolean };
export type Resource<T> = State<T> & { reload(): void };

/**
 * GETs `route` with `args` on mount and on `reload()`; keeps showing the last data when a refresh
 * fails. With `initial`, the answer the server rendered the page from, the first GET is spared.
 */
export function useApi<A, R extends ClientResponse<unknown>>(route: Gettable<A, R>, args: A, initial?: Answer<R>): Resource<Answer<R>> {
  const path = route.$path(args);
  const [state, setState] = useState<State<Answer<R>>>(() =>
    initial === undefined ? { data: remembered.get(path) as Answer<R> | undefined, loading: true } : { data: initial, loading: false });
  const [attempt, setAttempt] = useState(0);
  const answered = useRef(initial !== undefined);

  useEffect(() => {
    if (answered.current) {
      answered.current = false;
      remembered.set(path, state.data);
      return;
    }
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
