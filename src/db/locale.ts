import type { Logger } from "../log.ts";
import type { Sql } from "./client.ts";

/**
 * Whether PostgreSQL, under a database's LC_CTYPE, knows letters beyond ASCII. Under C and POSIX its
 * full-text search leaves "Чай" and "Ζάχαρη" in capitals where the shop lowers a shopper's words,
 * and pg_trgm finds no trigrams in them at all: products named in such scripts cannot be searched.
 */
export const knowsLettersBeyondAscii = (ctype: string) => !/^(C|POSIX)$/i.test(ctype);

/** Says so at start when the database's LC_CTYPE is one under which product search fails names outside ASCII. */
export async function checkDatabaseLocale(sql: Sql, log: Logger): Promise<void> {
  const [row] = await sql<{ ctype: string }[]>`SELECT datctype AS ctype FROM pg_database WHERE datname = current_database()`;
  if (row && !knowsLettersBeyondAscii(row.ctype)) {
    log.warn(`the database's LC_CTYPE is ${row.ctype}: product search will not find names in letters outside ASCII (Cyrillic, Greek, …); create the database with a UTF-8 locale, such as C.UTF-8 (README, Running in production)`, { ctype: row.ctype });
  }
}
