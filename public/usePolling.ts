import type { ClientResponse } from "hono/client";
import { useEffect, useState } from "preact/hooks";
import { answer, type Answer, type ApiError, type Gettable } from "./api.ts";
import { adminApi, type AdminApi } from "./adminApi.ts";

type State<T> = { data?: T; error?: ApiError; at?: Date };
/** What was last answered, and for which path: another path's answer never stands in for this one's. */
type Held<T> = State<T> & { path?: string };

/**
 * GETs an admin route (`route` picks it, e.g. `(admin) => admin.overview`) with `args` now and again `intervalMs` after each answer, while the tab is visible: a
 * hidden tab asks nothing and catches up as soon as it is shown. The last good data stays on screen
 * when a refresh fails; what was answered for other `args` is not shown for these. `refresh` asks at
 * once. Nothing is asked while `enabled` is false.
 */
export function usePolling<A, R extends ClientResponse<unknown>>(token: string, route: (admin: AdminApi) => Gettable<A, R>, args: A, { intervalMs = 2_000, enabled = true } = {}) {
  const endpoint = route(adminApi(token));
  const path = endpoint.$path(args);
  const [held, setHeld] = useState<Held<Answer<R>>>({});
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let busy = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      if (busy || document.hidden) return;
      busy = true;
      clearTimeout(timer);
      try {
        const data = await answer(endpoint.$get(args));
        if (live) setHeld({ data, at: new Date(), path });
      } catch (error) {
        if (live) setHeld((s) => ({ ...(s.path === path ? s : {}), error: error as ApiError, path }));
      } finally {
        busy = false;
        if (live && !document.hidden) timer = setTimeout(load, intervalMs);
      }
    };
    const onVisibility = () => void load();
    document.addEventListener("visibilitychange", onVisibility);
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [path, token, intervalMs, enabled, attempt]);

  const { path: heldFor, ...state } = held;
  return { ...(heldFor === path ? state : {}), refresh: () => setAttempt((n) => n + 1) };
}
