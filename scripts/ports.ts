import { readFileSync } from "node:fs";

/**
 * Where outgoing connections take their local ports from (Linux's ip_local_port_range). A port picked
 * inside it is free when picked but not when the server meant for it binds: any connection opened
 * meanwhile, such as the shop's own to PostgreSQL and Kafka while it starts, may be given it as its
 * local port, and the server then exits with "address in use".
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch {
    // Not Linux: the range IANA recommends, which macOS and Windows use.
  }
  return [49152, 65535];
}

const LOWEST = 10_000;
const handedOut = new Set<number>();

function listensOn(port: number): boolean {
  try {
    Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } }).stop(true);
    return false;
  } catch {
    return true;
  }
}

/**
 * Ports nothing listens on now, for the servers a test or bench starts of its own, so that they never
 * meet the shared ones or each other. They are taken below the ephemeral range, where no connection
 * is given a local port, and never twice in one process.
 */
export async function freePorts(count: number): Promise<number[]> {
  const [low] = ephemeralRange();
  if (low - LOWEST < 1_000) throw new Error(`ip_local_port_range starts at ${low}: too few ports below it for tests' own servers`);
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries++) {
    if (tries > 1_000) throw new Error(`no free port between ${LOWEST} and ${low} after ${tries} tries`);
    const port = LOWEST + Math.floor(Math.random() * (low - LOWEST));
    if (handedOut.has(port) || listensOn(port)) continue;
    handedOut.add(port);
    ports.push(port);
  }
  return ports;
}
