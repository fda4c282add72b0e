/**
 * What the compose smoke reads of Prometheus's HTTP API (the observability
 * profile's Prometheus): its scrape targets (GET /api/v1/targets) and an
 * instant query (GET /api/v1/query), checked field by field.
 */

/** One scrape target: a replica of a service, as Prometheus found it by DNS. */
export interface ScrapeTarget {
  job: string;
  /** Its address and port on the compose network, e.g. "172.18.0.7:3002". */
  instance: string;
  /** up, down or unknown (not scraped yet). */
  health: string;
  /** Why the last scrape failed; empty when it did not. */
  lastError: string;
}

export interface TargetsVerdict {
  /** Every expected job has its expected number of targets, each up. */
  ready: boolean;
  /** One line, e.g. "coordinator 1/1 up; reader 2/3 up; downloader 4/4 up". */
  summary: string;
  /** What is missing, one entry a target or job: "reader 172.18.0.7:3002 down (connection refused)", "downloader: 3 of 4 found". */
  notUp: string[];
}

export interface QuerySample {
  labels: Record<string, string>;
  value: number;
}

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The `data` of a successful answer; an error answer or another shape throws, with Prometheus's own error text. */
function dataOf(answer: unknown, what: string): Dict {
  if (!isDict(answer)) throw new Error(`${what}: not a JSON object`);
  if (answer['status'] !== 'success')
    throw new Error(`${what}: status ${String(answer['status'])}: ${text(answer['error']) || 'no error given'}`);
  if (!isDict(answer['data'])) throw new Error(`${what}: no data`);
  return answer['data'];
}

/** GET /api/v1/targets → the active targets. */
export function parseTargets(answer: unknown): ScrapeTarget[] {
  const active = dataOf(answer, '/api/v1/targets')['activeTargets'];
  if (!Array.isArray(active)) throw new Error('/api/v1/targets: no activeTargets list');
  return active.filter(isDict).map((target) => {
    const labels = isDict(target['labels']) ? target['labels'] : {};
    return {
      job: text(labels['job']) || text(target['scrapePool']),
      instance: text(labels['instance']),
      health: text(target['health']) || 'unknown',
      lastError: text(target['lastError']),
    };
  });
}

/**
 * Are the expected jobs scraped: `expected` maps each job to its number of
 * targets (a scaled service's replicas). A target not up yet is not a
 * failure here, only not ready: a new replica shows after a DNS refresh and
 * is up after its first scrape.
 */
export function judgeTargets(targets: readonly ScrapeTarget[], expected: Readonly<Record<string, number>>): TargetsVerdict {
  const notUp: string[] = [];
  const parts: string[] = [];
  for (const [job, count] of Object.entries(expected)) {
    const ofJob = targets.filter((target) => target.job === job);
    const up = ofJob.filter((target) => target.health === 'up');
    parts.push(`${job} ${up.length}/${count} up`);
    for (const target of ofJob) {
      if (target.health !== 'up')
        notUp.push(`${job} ${target.instance} ${target.health}${target.lastError ? ` (${target.lastError})` : ''}`);
    }
    if (ofJob.length !== count) notUp.push(`${job}: ${ofJob.length} of ${count} found`);
  }
  return { ready: notUp.length === 0, summary: parts.join('; '), notUp };
}

/** GET /api/v1/query → the samples of an instant vector. */
export function parseQueryVector(answer: unknown): QuerySample[] {
  const data = dataOf(answer, '/api/v1/query');
  if (data['resultType'] !== 'vector' || !Array.isArray(data['result']))
    throw new Error(`/api/v1/query: not a vector (${String(data['resultType'])})`);
  return data['result'].filter(isDict).map((sample) => {
    const metric = isDict(sample['metric']) ? sample['metric'] : {};
    const pair = Array.isArray(sample['value']) ? sample['value'] : [];
    return {
      labels: Object.fromEntries(Object.entries(metric).map(([key, value]) => [key, text(value)])),
      value: Number(pair[1]),
    };
  });
}
