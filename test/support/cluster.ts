import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { Kafka, logLevel, type KafkaConfig } from "kafkajs";
import { address, killNode, startNode, startNodes, stopNode, stopNodes, type KafkaNode, type NodeOptions } from "../../scripts/infra/kafka.ts";
import { infraDir } from "../../scripts/infra/state.ts";
import { freePorts } from "../../scripts/ports.ts";

export type TestCluster = Awaited<ReturnType<typeof startTestCluster>>;

/**
 * A KRaft cluster of the test's own: `count` nodes on free ports, files under .infra/test-kafka/,
 * every JVM with a small heap (the machine is shared). Each node keeps a plaintext listener on its
 * port, where the start is checked, whatever listeners `properties` adds.
 */
export async function startTestCluster(count: number, options: Omit<NodeOptions, "extra"> & {
  /** How many more free ports to pick, for listeners of the test's own. */
  extraPorts?: number;
  /** Properties appended to each node's file, overriding the defaults. */
  properties?: (node: KafkaNode, extraPorts: number[]) => string;
} = {}) {
  const heap = options.heap ?? "512m";
  const ports = await freePorts(count * 2 + (options.extraPorts ?? 0));
  const dir = resolve(infraDir, "test-kafka", crypto.randomUUID());
  const nodes: KafkaNode[] = Array.from({ length: count }, (_, i) => ({
    id: i + 1, host: "127.0.0.1", port: ports[i]!, controllerPort: ports[count + i]!, dir: resolve(dir, `node-${i + 1}`),
  }));
  const extraPorts = ports.slice(count * 2);
  const brokers = nodes.map(address);
  try {
    await startNodes(nodes, { ...options, heap, extra: (node) => options.properties?.(node, extraPorts) ?? "" });
  } catch (error) {
    await stopNodes(nodes);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const client = (config: Partial<KafkaConfig> = {}) => new Kafka({ clientId: "shop-tests", brokers, logLevel: logLevel.NOTHING, ...config });

  return {
    nodes,
    brokers,
    extraPorts,
    client,
    kill: (node: KafkaNode) => killNode(node),
    /** SIGTERM: the node closes its logs and hands over what it leads. */
    stopNode: (node: KafkaNode) => stopNode(node),
    restart: (node: KafkaNode) => startNode(node, heap),
    async stop() {
      await stopNodes(nodes);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
