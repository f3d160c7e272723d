import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { hasNavigated } from "../router.tsx";

const SHOP = "Ember & Leaf";
/** A page's title in the browser's tab and in search results: the server's and the browser's alike. */
export const documentTitle = (title: string) => `${title} — ${SHOP}`;

/**
 * A page's heading and the document title. After an in-app navigation the heading takes the focus,
 * so keyboard and screen reader users start at the new page's top as they would after a page load.
 */
export function Page({ title, lead, children }: { title: string; lead?: ComponentChildren; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = documentTitle(title);
  }, [title]);
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
