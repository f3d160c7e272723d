import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { FALLBACK_SLUG, isProductSlug, MAX_SLUG_WORDS_LENGTH, productSlug } from "../../src/catalog/slug.ts";

describe("productSlug", () => {
  test("lower-case words joined by hyphens, punctuation and spaces dropped", () => {
    expect(productSlug("Assam Breakfast Black Tea 100g")).toBe("assam-breakfast-black-tea-100g");
    expect(productSlug("Ethiopia Yirgacheffe, Whole Bean 250g")).toBe("ethiopia-yirgacheffe-whole-bean-250g");
    expect(productSlug("  Kettle -- (Gooseneck) & Co.  ")).toBe("kettle-gooseneck-co");
  });

  test("Latin letters lose their accents; other scripts keep their letters and marks", () => {
    expect(productSlug("Thé Vert Crème Brûlée")).toBe("the-vert-creme-brulee");
    expect(productSlug("Café São Paulo Ñandú")).toBe("cafe-sao-paulo-nandu");
    expect(productSlug("İstanbul Çayı")).toBe("istanbul-cayı");
    expect(productSlug("緑茶 Sencha")).toBe("緑茶-sencha");
    expect(productSlug("Чай с бергамотом")).toBe("чай-с-бергамотом");
    expect(productSlug("हिन्दी चाय")).toBe("हिन्दी-चाय");
    expect(productSlug("녹차")).toBe("녹차");
  });

  test("a name without a letter or digit still has an address", () => {
    expect(productSlug("—")).toBe(FALLBACK_SLUG);
    expect(productSlug("☕ ☕")).toBe(FALLBACK_SLUG);
  });

  test("what is not a slug's shape is never looked up", () => {
    for (const text of ["", "-a", "a-", "a--b", "a b", "a\u0000", "a/b", "A.b", "x".repeat(100)]) expect(isProductSlug(text)).toBe(false);
  });

  test("a long name is cut between words", () => {
    const slug = productSlug(`${"word ".repeat(40)}end`);
    expect([...slug].length).toBeLessThanOrEqual(MAX_SLUG_WORDS_LENGTH);
    expect(slug).toMatch(/^word(-word)*$/);
    expect(productSlug("x".repeat(200))).toBe("x".repeat(MAX_SLUG_WORDS_LENGTH));
  });

  test("any name gives a short slug of letters, marks and digits between single hyphens, the same each time", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (name) => {
      const slug = productSlug(name);
      expect(slug).toMatch(/^[\p{L}\p{M}\p{N}]+(-[\p{L}\p{M}\p{N}]+)*$/u);
      expect([...slug].length).toBeLessThanOrEqual(MAX_SLUG_WORDS_LENGTH);
      expect(slug).toBe(slug.toLowerCase());
      expect(productSlug(name)).toBe(slug);
      expect(isProductSlug(slug)).toBe(true);
      expect(isProductSlug(`${slug}-12`)).toBe(true);
      // Nothing a URL path treats specially.
      expect(slug).not.toMatch(/[/?#%.\\]/);
    }), { seed: 2111, numRuns: 2_000 });
  });
});
