import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { JAEGER_VERSION, jaegerConfig } from "../../scripts/infra/jaeger.ts";
import { projectRoot } from "../../scripts/infra/state.ts";
import { JAEGER } from "../../scripts/infra/targets.ts";

type ComposeService = { image: string; profiles?: string[]; ports: string[]; volumes: string[]; command: string[] };
const compose = Bun.YAML.parse(await Bun.file(resolve(projectRoot, "docker-compose.yml")).text()) as { services: Record<string, ComposeService> };
const config = Bun.YAML.parse(await Bun.file(jaegerConfig).text()) as {
  extensions: { jaeger_storage: { backends: Record<string, { memory?: { max_traces?: number } }> }; jaeger_query: { http: { endpoint: string } } };
  receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
};

describe("one Jaeger, native or in Compose", () => {
  test("Compose's image is the release go.mod pins: Jaeger numbers v1.N.P and 2.(N-63).P alike", () => {
    const [, minor, patch] = /^v1\.(\d+)\.(\d+)$/.exec(JAEGER_VERSION)!;
    expect(compose.services.jaeger!.image).toBe(`jaegertracing/jaeger:2.${Number(minor) - 63}.${patch}`);
  });

  test("Compose's Jaeger is the tracing profile's, with the native one's config, on the ports infra:up probes", () => {
    const jaeger = compose.services.jaeger!;
    expect(jaeger.profiles).toEqual(["tracing"]);
    const [mounted, inside] = jaeger.volumes[0]!.split(":");
    expect(resolve(projectRoot, mounted!)).toBe(jaegerConfig);
    expect(jaeger.command).toEqual(["--config", inside!]);
    expect(jaeger.ports).toEqual([JAEGER.otlpGrpcPort, JAEGER.otlpHttpPort, JAEGER.queryPort].map((port) => `127.0.0.1:${port}:${port}`));
  });

  test("the config listens on this machine only unless JAEGER_LISTEN_HOST says otherwise, and keeps a bounded number of traces", () => {
    const onLoopback = (port: number) => `\${env:JAEGER_LISTEN_HOST:-${JAEGER.host}}:${port}`;
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe(onLoopback(JAEGER.otlpGrpcPort));
    expect(config.receivers.otlp.protocols.http.endpoint).toBe(onLoopback(JAEGER.otlpHttpPort));
    expect(config.extensions.jaeger_query.http.endpoint).toBe(onLoopback(JAEGER.queryPort));
    const limits = Object.values(config.extensions.jaeger_storage.backends).map((backend) => backend.memory?.max_traces);
    expect(limits.every((max) => Number.isInteger(max) && max! > 0 && max! <= 100_000)).toBe(true);
    expect(existsSync(resolve(jaegerConfig, "..", "go.sum"))).toBe(true);
  });
});
