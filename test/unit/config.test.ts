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
      RATE_LIMITS: "on",
      TRUST_PROXY: false,
      ORDERS_PER_MINUTE_PER_SESSION: 6,
      ORDERS_PER_MINUTE_PER_ADDRESS: 30,
      UNITS_PER_ORDER: 20,
      UNITS_PER_SESSION_PER_DAY: 50,
      STREAMS_PER_SESSION: 10,
      STREAMS_PER_ADDRESS: 50,
      STREAMS_PER_INSTANCE: 2000,
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
    ["RATE_LIMITS", "maybe"], ["TRUST_PROXY", "yes"], ["UNITS_PER_ORDER", "0"], ["STREAMS_PER_INSTANCE", "lots"],
  ])("a bad %s stops the start with a line naming it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: expected `));
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  });

  test.each([
    ["ADMIN_TOKEN", "hunter2 with a space"],
    ["DATABASE_URL", "postgres://shop:s3cret-pw@db host/shop"],
    ["DATABASE_URL", "mysql://shop:s3cret-pw@db/shop"],
  ])("a bad %s is named with its rule, never with its value", (name, value) => {
    let message = "";
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toStartWith(`${name}: expected `);
    expect(message).not.toContain(value);
    expect(message).not.toContain(value.includes("s3cret") ? "s3cret" : "hunter2");
  });

  test("the same from a flag", () => {
    const { values } = parseFlags(["--admin-token", "hunter2 with a space"]);
    expect(() => loadConfig({}, values)).toThrow(/^ADMIN_TOKEN: expected at least 16 characters without spaces$/);
  });

  test("an unknown flag is refused", () => {
    expect(() => parseFlags(["--colour", "red"])).toThrow(ConfigError);
  });
});
