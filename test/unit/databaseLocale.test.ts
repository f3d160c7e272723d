import { describe, expect, test } from "bun:test";
import { knowsLettersBeyondAscii } from "../../src/db/locale.ts";

describe("the database's LC_CTYPE", () => {
  test("C and POSIX know ASCII letters only; a UTF-8 locale, C.UTF-8 included, knows them all", () => {
    for (const ctype of ["C", "POSIX", "c", "posix"]) expect(knowsLettersBeyondAscii(ctype)).toBe(false);
    for (const ctype of ["C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8", "de_DE.UTF-8", "und-x-icu"]) expect(knowsLettersBeyondAscii(ctype)).toBe(true);
  });
});
