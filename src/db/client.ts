import postgres from "postgres";
import type { Logger } from "../log.ts";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export function connect(url: string, log: Logger, max: number): Sql {
  return postgres(url, {
    max,
    connect_timeout: 5,
    idle_timeout: 60,
    // Fails a query quickly when the database is gone, instead of hanging a request or a batch.
    connection: { application_name: "shop", statement_timeout: 15_000 },
    onnotice: (notice) => log.debug("postgres notice", { notice: notice.message }),
    transform: { undefined: null },
  });
}

/**
 * Errors about the data itself (class 22, data exception; class 23, integrity violation) that no
 * retry can fix. Anything else, a lost connection or a restarting server, is worth retrying.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^(22|23)[0-9A-Z]{3}$/.test(code);
}
