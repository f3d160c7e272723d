import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { escapeHtml, headTags, scriptJson, snippet } from "../../src/http/pages/head.ts";

describe("a page's head", () => {
  test("JSON in a script element: any value reads back the same, and nothing in it can end the element", () => {
    fc.assert(fc.property(fc.jsonValue(), fc.string({ unit: "grapheme" }), (value, text) => {
      for (const v of [value, { name: text }, `</script>${text}<!--`]) {
        const json = scriptJson(v);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(json).not.toMatch(/[<>&\u2028\u2029]/);
      }
    }), { seed: 21, numRuns: 500 });
  });

  test("text in an attribute or an element cannot leave it", () => {
    expect(escapeHtml(`"><script>alert('x')</script>&`)).toBe("&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
  });

  test("a snippet keeps short text whole and cuts long text between words", () => {
    expect(snippet("  A washed   coffee.\n")).toBe("A washed coffee.");
    const cut = snippet("word ".repeat(100));
    expect(cut.length).toBeLessThanOrEqual(160);
    expect(cut).toMatch(/^(word )*word…$/);
  });

  test("every tag, escaped; robots only when not indexed, JSON-LD only when given", () => {
    const tags = headTags({ title: `Tea & "Co"`, description: "<b>", canonical: "https://shop.example.com/?q=a&b", type: "website" });
    expect(tags.split("\n").map((line) => line.trim())).toEqual([
      "<title>Tea &amp; &quot;Co&quot; — Ember &amp; Leaf</title>",
      '<meta name="description" content="&lt;b&gt;" />',
      '<link rel="canonical" href="https://shop.example.com/?q=a&amp;b" />',
      '<meta property="og:site_name" content="Ember &amp; Leaf" />',
      '<meta property="og:type" content="website" />',
      '<meta property="og:title" content="Tea &amp; &quot;Co&quot;" />',
      '<meta property="og:description" content="&lt;b&gt;" />',
      '<meta property="og:url" content="https://shop.example.com/?q=a&amp;b" />',
    ]);
    const product = headTags({ title: "T", description: "D", canonical: "https://s/p", type: "product", image: "https://s/i.svg", noindex: true, structured: { name: "</script>" } });
    expect(product).toContain('<meta name="robots" content="noindex, follow" />');
    expect(product).toContain('<meta property="og:image" content="https://s/i.svg" />');
    expect(product).toContain('<script type="application/ld+json">{"name":"\\u003c/script\\u003e"}</script>');
  });
});
