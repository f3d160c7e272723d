import { describe, expect, test } from "bun:test";
import { dirname } from "node:path";
import pkg from "../../package.json";

/** postgres.js as installed: the package's "bun" export is src/index.js, beside src/connection.js. */
const source = dirname(Bun.resolveSync("postgres", import.meta.dir));

/**
 * A connection that never got a socket is handed a query, whose write is deferred to the next turn
 * of the event loop: the state a connection is in when PostgreSQL went away between the write and
 * the flush. In a process of its own, since unpatched the flush throws out of a timer.
 */
const deferredWriteWithoutSocket = `
  const { default: postgres } = await import(${JSON.stringify(`${source}/index.js`)});
  const { default: Connection } = await import(${JSON.stringify(`${source}/connection.js`)});
  const { Query } = await import(${JSON.stringify(`${source}/query.js`)});
  const connection = Connection(postgres("postgres://shop@127.0.0.1:1/shop").options);
  const strings = Object.assign(["SELECT 1"], { raw: ["SELECT 1"] });
  const query = new Query(strings, [], () => {}, () => {});
  connection.execute(query);
  console.log(await query.then(() => "answered", (error) => error.code));
  process.exit(0);
`;

// bun install drops a patch silently when its version key no longer matches (oven-sh/bun#40106).
describe("the installed postgres.js carries patches/postgres@3.4.9.patch", () => {
  test("the patch is declared for the postgres.js version the shop depends on", () => {
    expect(Object.keys(pkg.patchedDependencies)).toContain(`postgres@${pkg.dependencies.postgres}`);
  });

  test("a deferred write to a connection whose socket is gone fails the query as CONNECTION_CLOSED instead of throwing out of a timer", async () => {
    const child = Bun.spawn([process.execPath, "--eval", deferredWriteWithoutSocket], { stdout: "pipe", stderr: "pipe", timeout: 3_000 });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect({ stdout: stdout.trim(), stderr, exitCode }).toEqual({ stdout: "CONNECTION_CLOSED", stderr: "", exitCode: 0 });
  });
});
