import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { freePorts } from "../../scripts/ports.ts";

test("the ports a test's own servers get lie below the ephemeral range, so no connection opened meanwhile can be given one; each is free and handed out once", async () => {
  const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
  const ports = [...(await freePorts(50)), ...(await freePorts(50))];
  expect(new Set(ports).size).toBe(100);
  expect(ports.filter((p) => p < 10_000 || p >= low!)).toEqual([]);
  for (const port of ports.slice(0, 10)) {
    const server = Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } });
    expect(server.port).toBe(port);
    server.stop(true);
  }
});
