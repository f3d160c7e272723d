import { describe, expect, test } from "bun:test";
import postgres from "postgres";
import { ConfigError, loadConfig, parseFlags } from "../../src/config.ts";

describe("config", () => {
  test("SMTP_URL is smtp:// or smtps://, and never repeated when refused; SMTP_FROM is one line; SHOP_URL loses its trailing slash", () => {
    expect(loadConfig({ SMTP_URL: "smtps://u:p%40ss@mail.example:465" }).SMTP_URL).toBe("smtps://u:p%40ss@mail.example:465");
    expect(() => loadConfig({ SMTP_URL: "http://u:hunter2@mail.example" })).toThrow(/^SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL(?!.*hunter2)/);
    expect(() => loadConfig({ SMTP_URL: "smtp://u:hunter2@mail.example/x" })).toThrow(ConfigError);
    expect(loadConfig({ SMTP_FROM: "Orders <orders@example.com>" }).SMTP_FROM).toBe("Orders <orders@example.com>");
    expect(() => loadConfig({ SMTP_FROM: "Orders <orders@example.com>\r\nBcc: x@example.com" })).toThrow(/SMTP_FROM/);
    expect(() => loadConfig({ SMTP_FROM: "not an address" })).toThrow(/SMTP_FROM/);
    expect(loadConfig({ SHOP_URL: "https://shop.example/" }).SHOP_URL).toBe("https://shop.example");
    expect(() => loadConfig({ SHOP_URL: "https://shop.example/path" })).toThrow(/SHOP_URL/);
  });

  test("tracing: an OTLP endpoint is an http(s) address; the sampling ratio a number 0..1", () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe("http://127.0.0.1:4318");
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "127.0.0.1:4318" })).toThrow(/^OTEL_EXPORTER_OTLP_ENDPOINT: expected/);
    for (const [given, ratio] of [["0", 0], ["1", 1], ["0.25", 0.25], [".5", 0.5], ["1.0", 1]] as const) expect(loadConfig({ OTEL_TRACES_SAMPLER_ARG: given }).OTEL_TRACES_SAMPLER_ARG).toBe(ratio);
    for (const given of ["1.5", "-0.1", "half", "1e-2"]) expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: given })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });

  test("the contract's defaults", () => {
    expect(loadConfig({})).toEqual({
      PORT: 8080,
      DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:5432/shop",
      KAFKA_BROKERS: ["127.0.0.1:9092"],
      ROLES: ["api", "worker", "notifier"],
      LOG_LEVEL: "info",
      ADMIN_TOKEN: undefined,
      KAFKA_TOPIC_PREFIX: "",
      KAFKA_PARTITIONS: 6,
      RATE_LIMITS: "on",
      SITEMAP_URLS_PER_FILE: 50_000,
      TRUST_PROXY: false,
      ORDERS_PER_MINUTE_PER_SESSION: 6,
      ORDERS_PER_MINUTE_PER_ADDRESS: 30,
      UNITS_PER_ORDER: 20,
      UNITS_PER_SESSION_PER_DAY: 50,
      UNITS_PER_ADDRESS_PER_DAY: 200,
      STREAMS_PER_SESSION: 10,
      STREAMS_PER_ADDRESS: 50,
      STREAMS_PER_INSTANCE: 2000,
      SMTP_URL: undefined,
      SMTP_FROM: "Shop <orders@shop.localhost>",
      SHOP_URL: undefined,
      KAFKA_REPLICATION_FACTOR: undefined,
      KAFKA_SSL: false,
      KAFKA_SASL_MECHANISM: undefined,
      KAFKA_SASL_USERNAME: undefined,
      KAFKA_SASL_PASSWORD: undefined,
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
      OTEL_SERVICE_NAME: "shop",
      OTEL_TRACES_SAMPLER_ARG: 0.01,
      JAEGER_UI_URL: undefined,
    });
  });

  test("JAEGER_UI_URL: http(s), a base path kept, trailing slashes dropped, no query or fragment", () => {
    expect(loadConfig({ JAEGER_UI_URL: "http://127.0.0.1:16686" }).JAEGER_UI_URL).toBe("http://127.0.0.1:16686");
    expect(loadConfig({ JAEGER_UI_URL: "https://ops.example/jaeger/" }).JAEGER_UI_URL).toBe("https://ops.example/jaeger");
    for (const bad of ["127.0.0.1:16686", "ftp://jaeger.example", "http://jaeger.example/?x=1", "http://jaeger.example/#top", "http://jae ger.example"]) {
      expect(() => loadConfig({ JAEGER_UI_URL: bad })).toThrow(/^JAEGER_UI_URL: expected the http:\/\/ or https:\/\/ address .*, got /);
    }
  });

  test("managed Kafka: TLS and SASL together", () => {
    const config = loadConfig({
      KAFKA_SSL: "true", KAFKA_SASL_MECHANISM: "scram-sha-512", KAFKA_SASL_USERNAME: "shop", KAFKA_SASL_PASSWORD: "s3cret", KAFKA_REPLICATION_FACTOR: "3",
    });
    expect(config).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: "scram-sha-512", KAFKA_SASL_USERNAME: "shop", KAFKA_SASL_PASSWORD: "s3cret", KAFKA_REPLICATION_FACTOR: 3 });
  });

  test("SASL settings come together: one missing is named, the password is never shown", () => {
    const password = "hunter2-is-my-password";
    for (const env of [
      { KAFKA_SASL_MECHANISM: "plain", KAFKA_SASL_PASSWORD: password },
      { KAFKA_SASL_USERNAME: "shop", KAFKA_SASL_PASSWORD: password },
    ]) {
      const error = (() => { try { loadConfig(env); } catch (e) { return e as Error; } })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error!.message).toMatch(/^KAFKA_SASL_(MECHANISM|USERNAME): expected .* it is missing while /);
      expect(error!.message).not.toContain(password);
    }
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: "plain", KAFKA_SASL_USERNAME: "shop" })).toThrow(/^KAFKA_SASL_PASSWORD: expected /);
  });

  test("a secret that fails its rule is named, never echoed", () => {
    const error = (() => { try { loadConfig({ ADMIN_TOKEN: "short secret" }); } catch (e) { return e as Error; } })();
    expect(error!.message).toMatch(/^ADMIN_TOKEN: expected /);
    expect(error!.message).not.toContain("short secret");
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
    ["KAFKA_REPLICATION_FACTOR", "0"], ["KAFKA_REPLICATION_FACTOR", "three"], ["KAFKA_SSL", "yes"], ["KAFKA_SASL_MECHANISM", "gssapi"],
    ["SHOP_URL", "shop.example.com"], ["SHOP_URL", "ftp://shop.example.com"], ["SHOP_URL", "https://shop.example.com/?a=1"],
    ["SITEMAP_URLS_PER_FILE", "50001"], ["SITEMAP_URLS_PER_FILE", "0"],
  ])("a bad %s stops the start with a line naming it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: expected `));
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  });

  test.each([
    ["ADMIN_TOKEN", "hunter2 with a space"],
    ["DATABASE_URL", "postgres://shop:s3cret-pw@db host/shop"],
    ["DATABASE_URL", "mysql://shop:s3cret-pw@db/shop"],
    ["DATABASE_URL", "postgres://shop:s3cret-pw@db:99999/shop"],
    ["DATABASE_URL", "postgres://shop:s3cret-pw#1@db/shop"],
    ["DATABASE_URL", "postgres://shop:s3cret-pw%zz@db/shop"],
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

  test("DATABASE_URL passes exactly when the PostgreSQL client can read it", () => {
    const urls = [
      "postgres://shop:pw@db:5432/shop", "postgresql://db/shop?sslmode=require", "postgres://shop:p%40ss%23@db/shop",
      "postgres://h1:5432,h2:5433/shop", "postgres://u:p@ss@db/shop",
      "postgres://db:99999/shop", "postgres://u:p#x@db/shop", "postgres://u:pa%zz@db/shop", "postgres://%zz/shop",
      "postgres://[::1/shop", "postgres://db:port/shop",
    ];
    const readable = (url: string) => { try { postgres(url); return true; } catch { return false; } };
    const accepted = (url: string) => { try { loadConfig({ DATABASE_URL: url }); return true; } catch { return false; } };
    expect(urls.map(accepted)).toEqual(urls.map(readable));
    expect(urls.filter(accepted)).toHaveLength(5);
  });

  test("the same from a flag", () => {
    const { values } = parseFlags(["--admin-token", "hunter2 with a space"]);
    expect(() => loadConfig({}, values)).toThrow(/^ADMIN_TOKEN: expected at least 16 characters without spaces$/);
  });

  test("an unknown flag is refused", () => {
    expect(() => parseFlags(["--colour", "red"])).toThrow(ConfigError);
  });
});
