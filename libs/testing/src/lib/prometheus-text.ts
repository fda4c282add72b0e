export const MiB = 1024 * 1024;

/** The value of the first Prometheus text sample whose line starts with `prefix` (name and labels), e.g. `process_resident_memory_bytes{service="coordinator"}`. */
export function sampleValue(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  if (line === undefined) return undefined;
  const value = Number(line.slice(line.lastIndexOf(' ') + 1));
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A service's resident set size in bytes, from its own GET /metrics
 * (prom-client's process metrics). Bounded: 10 s unless the caller's signal
 * says otherwise.
 */
export async function residentMemoryBytes(
  baseUrl: string,
  service: string,
  signal: AbortSignal = AbortSignal.timeout(10_000),
): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`, { signal });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
  const bytes = sampleValue(text, `process_resident_memory_bytes{service="${service}"}`);
  if (bytes === undefined) throw new Error(`GET ${baseUrl}/metrics has no process_resident_memory_bytes for ${service}`);
  return bytes;
}
