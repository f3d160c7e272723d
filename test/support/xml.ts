/** An element of a parsed XML document: enough of XML 1.0 to hold a sitemap to its rules. */
export type XmlElement = { name: string; attributes: Record<string, string>; children: (XmlElement | string)[] };

const NAME = /[A-Za-z_][\w.:-]*/y;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * Parses `text` as a well-formed XML document (an optional declaration, one root element, elements,
 * attributes and text; no comments, CDATA or DTD, which a sitemap has no use for), or throws naming
 * where it is not: an unclosed or mismatched tag, a raw `<` or `&` in text, anything after the root.
 */
export function parseXml(text: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => { throw new Error(`not well-formed XML at ${at}: ${why} near ${JSON.stringify(text.slice(at, at + 40))}`); };
  const match = (pattern: RegExp) => {
    pattern.lastIndex = at;
    const found = pattern.exec(text);
    if (found) at += found[0].length;
    return found?.[0];
  };
  const space = () => match(/\s*/y);
  /** Character data up to `end` (a `<`, or the closing quote), entities decoded. */
  const chars = (end: string) => {
    let out = "";
    while (at < text.length && !end.includes(text[at]!)) {
      if (text[at] === "<") fail("a raw <");
      if (text[at] === "&") {
        const entity = match(ENTITY) ?? fail("a raw &");
        const body = entity.slice(1, -1);
        out += body.startsWith("#") ? String.fromCodePoint(Number(body.startsWith("#x") ? `0${body.slice(1)}` : body.slice(1))) : ENTITIES[body]!;
      } else out += text[at++];
    }
    return out;
  };
  function element(): XmlElement {
    if (text[at] !== "<") fail("an element expected");
    at++;
    const name = match(NAME) ?? fail("a tag name expected");
    const attributes: Record<string, string> = {};
    for (;;) {
      const gap = space();
      if (text.startsWith("/>", at)) { at += 2; return { name, attributes, children: [] }; }
      if (text[at] === ">") { at++; break; }
      if (!gap) fail("a space before an attribute expected");
      const attribute = match(NAME) ?? fail("an attribute name expected");
      if (attribute in attributes) fail(`attribute ${attribute} twice`);
      space();
      if (text[at] !== "=") fail("= expected");
      at++;
      space();
      const quote = text[at] ?? "";
      if (quote !== '"' && quote !== "'") fail("a quoted value expected");
      at++;
      attributes[attribute] = chars(quote);
      if (text[at++] !== quote) fail("an unclosed attribute value");
    }
    const children: XmlElement["children"] = [];
    for (;;) {
      const data = chars("<");
      if (data) children.push(data);
      if (at >= text.length) fail(`<${name}> is never closed`);
      if (text.startsWith("</", at)) {
        at += 2;
        if (match(NAME) !== name) fail(`</${name}> expected`);
        space();
        if (text[at++] !== ">") fail("> expected");
        return { name, attributes, children };
      }
      children.push(element());
    }
  }
  match(/<\?xml version="1\.0"( encoding="UTF-8")?\?>/y);
  space();
  const root = element();
  space();
  if (at !== text.length) fail("content after the root element");
  return root;
}

/** The elements named `name` among `element`'s children. */
export const childrenNamed = (element: XmlElement, name: string) =>
  element.children.filter((child): child is XmlElement => typeof child !== "string" && child.name === name);

/** The text of an element that holds only text. */
export const textOf = (element: XmlElement) => element.children.filter((c) => typeof c === "string").join("");
