/** The shop's own figures from GET /metrics: resident memory and CPU time of the binary. */
export type ShopProcess = { rssMB: number; heapMB: number; cpuSeconds: number; at: number };

/**
 * Reads a figure by its standard Prometheus name (`process_resident_memory_bytes`), or as binaries
 * before those names exposed it (`shop_process{figure="resident_memory_bytes"}`), so that the bench
 * can drive either.
 */
function figure(text: string, standard: string, legacy: string): number {
  const match = new RegExp(`^${standard} (\\S+)$`, "m").exec(text) ?? new RegExp(`^shop_process\\{figure="${legacy}"\\} (\\S+)$`, "m").exec(text);
  return match ? Number(match[1]) : NaN;
}

export async function scrapeShop(url: string): Promise<ShopProcess> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(900) });
  const text = await response.text();
  return {
    rssMB: figure(text, "process_resident_memory_bytes", "resident_memory_bytes") / 2 ** 20,
    heapMB: figure(text, "process_heap_bytes", "heap_used_bytes") / 2 ** 20,
    cpuSeconds: figure(text, "process_cpu_seconds_total", "cpu_seconds"),
    at: performance.now(),
  };
}
