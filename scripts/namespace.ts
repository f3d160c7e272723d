import { dropDatabase, ensureDatabase } from "./infra/probe.ts";
import { readTargets } from "./infra/targets.ts";

/**
 * A namespace of its own for a test run or a bench run: the database `shop_<name>` on the same
 * server as DATABASE_URL, created when missing, and the topic and group prefix `<name>.`. A user's
 * shop, the test suite and the bench then share servers but never a table, a topic or a group.
 * `fresh` drops the database first: what a run measures must not depend on the runs before it.
 */
export async function ownNamespace(name: string, env: Record<string, string | undefined> = process.env, { fresh = false } = {}) {
  if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error(`namespace ${JSON.stringify(name)}: use 1..40 of a-z 0-9 _`);
  const { postgres } = readTargets(env);
  const database = `shop_${name}`;
  const url = new URL(postgres.url);
  url.pathname = `/${database}`;
  const target = { ...postgres, database, url: url.href };
  if (fresh) await dropDatabase(target);
  await ensureDatabase(target);
  return { DATABASE_URL: url.href, KAFKA_TOPIC_PREFIX: `${name}.` };
}
