import type { Preloaded } from "../../../public/preload.ts";
import { PRELOADED_ID } from "../../../public/preload.ts";
import { scriptJson } from "./head.ts";

const TITLE = /<title>[\s\S]*?<\/title>/;
const DESCRIPTION = /<meta name="description"[^>]*>/;
const APP = '<div id="app"></div>';

/**
 * Checks once, at start, that the storefront's HTML has what pageDocument replaces, so a change to
 * public/index.html cannot quietly leave pages without their content.
 */
export function checkTemplate(template: string): string {
  for (const [what, found] of [["<title>", TITLE.test(template)], ["meta description", DESCRIPTION.test(template)], [APP, template.includes(APP)], ["</head>", template.includes("</head>")]] as const) {
    if (!found) throw new Error(`the storefront's HTML has no ${what} for server-rendered pages`);
  }
  return template;
}

/**
 * The storefront's HTML with a page in it: the head's tags in place of its title and description,
 * the app's HTML inside its root, and the data it was rendered from beside it, for hydration.
 */
export function pageDocument(template: string, { head, app, preloaded }: { head: string; app: string; preloaded: Preloaded }): string {
  const data = `<script type="application/json" id="${PRELOADED_ID}">${scriptJson(preloaded)}</script>`;
  // Functions as replacements: a `$&` in a product's name is text, not a pattern.
  return template
    .replace(DESCRIPTION, () => "")
    .replace(TITLE, () => head)
    .replace(APP, () => `<div id="app">${app}</div>\n    ${data}`);
}
