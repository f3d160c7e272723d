/** Ports nothing listens on now, picked by the kernel, so a test's own servers never meet the shared ones or each other. */
export async function freePorts(count: number): Promise<number[]> {
  const sockets = Array.from({ length: count }, () => Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }));
  const ports = sockets.map((s) => s.port);
  for (const s of sockets) s.stop(true);
  return ports;
}
