import { useEffect, useRef } from "preact/hooks";

/** Asks for the next page this far before the end of the list comes into view, so scrolling rarely waits. */
const AHEAD = "800px 0px";

type Props = { href: string; loading: boolean; onMore: () => void };

/**
 * The end of a list that goes on: the next page comes by itself as the end nears the screen, and
 * the link to it stays, for a crawler, a visitor without the app, or one who would rather click.
 * A plain click loads it in place; any other click (a new tab) follows the link.
 */
export function LoadMore({ href, loading, onMore }: Props) {
  const end = useRef<HTMLParagraphElement>(null);
  const more = useRef(onMore);
  more.current = onMore;
  useEffect(() => {
    const element = end.current;
    if (!element || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) more.current();
    }, { rootMargin: AHEAD });
    observer.observe(element);
    return () => observer.disconnect();
  }, [href]);
  return (
    <p class="load-more" ref={end}>
      <a class="button button-quiet" href={href} aria-disabled={loading || undefined}
        onClick={(event) => {
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
          event.preventDefault();
          onMore();
        }}>
        {loading ? "Loading…" : "Show more products"}
      </a>
    </p>
  );
}
