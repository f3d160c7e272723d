import { describe, expect, test } from "bun:test";
import { freePorts } from "../../scripts/ports.ts";
import { BINARY } from "../support/shop.ts";

const run = (args: string[], env: Record<string, string> = {}) => {
  const r = Bun.spawnSync([BINARY, ...args], { cwd: "/", env: { ...process.env, ...env } });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
};

describe("the binary's command line", () => {
  test("--help describes every setting and exits 0, from any directory", () => {
    const { code, out } = run(["--help"]);
    expect(code).toBe(0);
    for (const name of ["PORT", "DATABASE_URL", "KAFKA_BROKERS", "ROLES", "LOG_LEVEL", "ADMIN_TOKEN"]) expect(out).toContain(name);
  });

  test("--version prints the version", () => {
    const { code, out } = run(["--version"]);
    expect(code).toBe(0);
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test.each([
    [{ PORT: "eighty" }, [], "PORT"],
    [{ ROLES: "api,chef" }, [], "ROLES"],
    [{}, ["--kafka-brokers", "nohost"], "KAFKA_BROKERS"],
    [{ LOG_LEVEL: "chatty" }, [], "LOG_LEVEL"],
  ])("a bad setting stops it at start with one line naming the variable (%j %j)", (env, args, name) => {
    const { code, err, out } = run(args, env);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toStartWith(`shop: ${name}: expected`);
  });

  test("serve --port runs the shop on that port and stops with exit 0 on SIGTERM", async () => {
    const [port] = await freePorts(1);
    const shop = Bun.spawn([BINARY, "serve", "--port", String(port), "--roles", "api"], { cwd: "/", env: { ...process.env, PORT: "1" }, stdout: "ignore", stderr: "ignore" });
    try {
      let health: unknown;
      for (let i = 0; i < 200 && health === undefined; i++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json(), () => undefined);
        if (health === undefined) await Bun.sleep(100);
      }
      expect(health).toEqual({ status: "ok" });
    } finally {
      shop.kill("SIGTERM");
    }
    expect(await shop.exited).toBe(0);
  }, 60_000);

  test.each([
    [{ ADMIN_TOKEN: "hunter2 is my token" }, [], "ADMIN_TOKEN", "hunter2"],
    [{}, ["--admin-token", "short-hunter2"], "ADMIN_TOKEN", "hunter2"],
    [{ DATABASE_URL: "postgres://shop:s3cret-pw@db host:5432/shop" }, [], "DATABASE_URL", "s3cret-pw"],
    [{ DATABASE_URL: "mysql://shop:s3cret-pw@db/shop" }, [], "DATABASE_URL", "s3cret-pw"],
    [{ DATABASE_URL: "postgres://shop:s3cret-pw@db:99999/shop" }, [], "DATABASE_URL", "s3cret-pw"],
    [{ DATABASE_URL: "postgres://shop:s3cret#pw@db/shop" }, [], "DATABASE_URL", "s3cret"],
  ])("a bad secret setting is named with its rule, its value never shown (%j %j)", (env, args, name, secret) => {
    const { code, err, out } = run(args, env);
    expect(code).toBe(2);
    expect(err).toStartWith(`shop: ${name}: expected`);
    expect(err + out).not.toContain(secret);
  });

  test("an unknown command is refused with one line", () => {
    const { code, err } = run(["dance"]);
    expect(code).toBe(2);
    expect(err.trim()).toBe("shop: unknown command: dance (try --help)");
  });

  test("migrate applies the migrations and exits 0", () => {
    expect(run(["migrate"], { LOG_LEVEL: "error" }).code).toBe(0);
  });
});
