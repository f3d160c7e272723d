import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { hasNavigated } from "../router.tsx";

const SHOP = "Ember & Leaf";
/** A page's title in the browser's tab and in search results: the server's and the browser's alike. */
export const documentTitle = (title: string) => `${title} — ${SHOP}`;

/**
 * A page's heading and the document title (and, with `noindex`, a robots meta that keeps it out of
 * search engines). After an in-app navigation the heading takes the focus,
 * so keyboard and screen reader users start at the new page's top as they would after a page load.
 */
export function Page({ title, lead, noindex, children }: { title: string; lead?: ComponentChildren; noindex?: boolean; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = documentTitle(title);
  }, [title]);
  // A page only its owner may read says so to a crawler that renders it: it stays out of the index.
  useEffect(() => {
    if (!noindex) return;
    const robots = Object.assign(document.createElement("meta"), { name: "robots", content: "noindex" });
    document.head.append(robots);
    return () => robots.remove();
  }, [noindex]);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus();
  }, []);
  return (
    <>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>{title}</h1>
        {lead && <p class="lead">{lead}</p>}
      </div>
      {children}
    </>
  );
}
