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
