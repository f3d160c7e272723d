import { describe, expect, test } from "bun:test";
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";
import pkg from "../../package.json";

type Queue = { pending: unknown[]; throttleCheckTimeoutId: unknown; scheduleCheckPendingRequests(): void; destroy(): void };
const newQueue = () =>
  new (RequestQueue as new (options: object) => Queue)({ maxInFlightRequests: 1, requestTimeout: 1_000, enforceRequestTimeout: false, clientId: "test", broker: "test:9092", logger: {} });

// bun install drops a patch silently when its version key no longer matches the installed kafkajs
// (oven-sh/bun#40106): these tests are what fails then.
describe("the installed kafkajs carries patches/kafkajs@2.2.4.patch", () => {
  test("the patch is declared for the kafkajs version the shop depends on", () => {
    expect(Object.keys(pkg.patchedDependencies)).toContain(`kafkajs@${pkg.dependencies.kafkajs}`);
  });

  test("an idle connection's request queue arms no timer", () => {
    const queue = newQueue();
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  test("a queue with a pending request still schedules its check", () => {
    const queue = newQueue();
    queue.pending.push({});
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    queue.destroy();
  });
});
