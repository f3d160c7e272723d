import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "./api.ts";
import { adminApi } from "./adminApi.ts";

type State<T> = { data?: T; error?: ApiError; at?: Date };

/**
 * GETs an admin path now and again `intervalMs` after each answer, while the tab is visible: a
 * hidden tab asks nothing and catches up as soon as it is shown. The last good data stays on screen
 * when a refresh fails. `refresh` asks at once.
 */
export function usePolling<T>(path: string, token: string, intervalMs = 2_000) {
  const [state, setState] = useState<State<T>>({});
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    let busy = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      if (busy || document.hidden) return;
      busy = true;
      clearTimeout(timer);
      try {
        const data = await adminApi<T>(token, path);
        if (live) setState({ data, at: new Date() });
      } catch (error) {
        if (live) setState((s) => ({ ...s, error: error as ApiError }));
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
  }, [path, token, intervalMs, attempt]);

  return { ...state, refresh: () => setAttempt((n) => n + 1) };
}
