/** One value of a Prometheus text sample whose line starts with `prefix`, e.g. `lab_x_total{transport="core"`. */
export function sampleValue(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** A service's resident set size in bytes, as its own GET /metrics reports it (prom-client's process metrics). */
export async function residentMemoryBytes(url: string, service: string): Promise<number> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}/metrics answered ${response.status}`);
  const bytes = sampleValue(text, `process_resident_memory_bytes{service="${service}"}`);
  if (bytes === undefined || !Number.isFinite(bytes)) throw new Error(`${url}/metrics has no process_resident_memory_bytes for ${service}`);
  return bytes;
}

export const MiB = 1024 * 1024;
