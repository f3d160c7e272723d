import type { Sql } from "./client.ts";

/** The secrets every instance shares, created by the migrations: settings.idempotency_secret, settings.session_secret, settings.link_secret. */
export async function readSecret(sql: Sql, key: "idempotency_secret" | "session_secret" | "link_secret"): Promise<string> {
  const [row] = await sql<{ value: string }[]>`SELECT value FROM settings WHERE key = ${key}`;
  if (!row) throw new Error(`settings.${key} is missing: migrations did not run`);
  return row.value;
}
