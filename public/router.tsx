import type { ComponentChildren, TargetedMouseEvent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { usePreloaded } from "./preload.ts";

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

/** False until the first move inside the app: the first page keeps the browser's own focus. */
let moved = false;
export const hasNavigated = () => moved;

// Rendered on the server, there is no window, and no navigation.
if (typeof window !== "undefined") {
  window.addEventListener("popstate", () => {
    moved = true;
    notify();
  });
}

/** Moves to another page of the app without reloading; back and forward come back through popstate. */
export function navigate(to: string) {
  moved = true;
  if (to !== location.pathname) history.pushState(null, "", to);
  window.scrollTo(0, 0);
  notify();
}

/** A path segment as it reads, or undefined when its %-escapes are broken (no page has such an address). */
export function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The current path, re-rendering on every navigation. */
export function usePath() {
  const preloaded = usePreloaded();
  const [path, setPath] = useState(() => preloaded?.path ?? location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    return () => { listeners.delete(update); };
  }, []);
  return path;
}

type LinkProps = { href: string; class?: string; "aria-label"?: string; children: ComponentChildren };

/** A real link (it opens in a new tab, copies, works without the app) that navigates in place on a plain click. */
export function Link({ href, ...rest }: LinkProps) {
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={onClick} aria-current={usePath() === href ? "page" : undefined} {...rest} />;
}
