import { describe, expect, test } from "bun:test";
import pkg from "../../package.json";

// bun install drops a patch silently when its version key no longer matches (oven-sh/bun#40106).
describe("the installed postgres.js carries patches/postgres@3.4.9.patch", () => {
  test("the patch is declared for the postgres.js version the shop depends on", () => {
    expect(Object.keys(pkg.patchedDependencies)).toContain(`postgres@${pkg.dependencies.postgres}`);
  });

  test("a deferred write to a connection whose socket is gone fails the queries instead of throwing out of a timer", async () => {
    // What the binary bundles: the package's "bun" export, src/index.js, and its src/connection.js beside it.
    const source = await Bun.file(new URL("connection.js", Bun.pathToFileURL(Bun.resolveSync("postgres", import.meta.dir)))).text();
    const nextWrite = source.slice(source.indexOf("function nextWrite("), source.indexOf("function connectTimedOut("));
    expect(nextWrite).toContain("if (!socket) {");
    expect(nextWrite).toContain("error(Errors.connection('CONNECTION_CLOSED', options))");
  });
});
