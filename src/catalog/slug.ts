/** A slug's words, before a number that keeps it unique: short enough for a readable address. */
export const MAX_SLUG_WORDS_LENGTH = 80;
/** What a name with no letter or digit at all is called in its address. */
export const FALLBACK_SLUG = "product";

/**
 * The words of a product's name as the last part of its page's address: lower case, accents of
 * Latin letters dropped ("Thé" → "the", where "й" stays), letters and digits of every other script kept as they are
 * ("緑茶", "हिन्दी": a browser shows them, and sends them percent-encoded), every run of anything
 * else one hyphen. At most MAX_SLUG_WORDS_LENGTH characters, cut between words where one fits.
 * The database adds "-2", "-3"… when another product has the slug already (migration 011).
 */
export function productSlug(name: string): string {
  const folded = name.normalize("NFKD").toLowerCase().replace(/([a-z])[\u0300-\u036f]+/g, "$1").normalize("NFC");
  const words = folded.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if ([...next].length > MAX_SLUG_WORDS_LENGTH) {
      // A first word longer than the whole allowance is cut; a later one is left out.
      if (!slug) slug = [...word].slice(0, MAX_SLUG_WORDS_LENGTH).join("");
      break;
    }
    slug = next;
  }
  return slug || FALLBACK_SLUG;
}

/** Longer than any slug the shop gives: its words and a number that keeps it unique. */
const MAX_SLUG_LENGTH = MAX_SLUG_WORDS_LENGTH + 12;
const SLUG = /^[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*$/u;

/** Whether `text` has the shape of a slug the shop gives: what an address must be to be looked up at all. */
export const isProductSlug = (text: string) => [...text].length <= MAX_SLUG_LENGTH && SLUG.test(text);
