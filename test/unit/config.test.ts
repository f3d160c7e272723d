import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig, parseFlags } from "../../src/config.ts";

describe("config", () => {
  test("the contract's defaults", () => {
    expect(loadConfig({})).toEqual({
      PORT: 8080,
      DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:5432/shop",
      KAFKA_BROKERS: ["127.0.0.1:9092"],
      ROLES: ["api", "worker"],
      LOG_LEVEL: "info",
      ADMIN_TOKEN: undefined,
      KAFKA_TOPIC_PREFIX: "",
      KAFKA_PARTITIONS: 6,
    });
  });

  test("flags of the same name override the environment", () => {
    const { values } = parseFlags(["--port", "9000", "--roles=worker", "--kafka-brokers", "a:1, b:2"]);
    const config = loadConfig({ PORT: "7000", ROLES: "api" }, values);
    expect(config.PORT).toBe(9000);
    expect(config.ROLES).toEqual(["worker"]);
    expect(config.KAFKA_BROKERS).toEqual(["a:1", "b:2"]);
  });

  test.each([
    ["PORT", "http"], ["PORT", "70000"], ["ROLES", "api,cook"], ["LOG_LEVEL", "loud"],
    ["KAFKA_BROKERS", "nohost"], ["DATABASE_URL", "mysql://x"], ["ADMIN_TOKEN", "short"],
  ])("a bad %s stops the start with a line naming it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: expected `));
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  });

  test("an unknown flag is refused", () => {
    expect(() => parseFlags(["--colour", "red"])).toThrow(ConfigError);
  });
});
