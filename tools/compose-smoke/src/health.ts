/** One container of the project, as `docker inspect` tells it. */
export interface ContainerState {
  /** As compose shows it in its logs: "reader_2" (v1) or "reader-2" (v2). */
  name: string;
  service: string;
  number: number;
  /** created, running, paused, restarting, removing, exited or dead. */
  status: string;
  /** starting, healthy or unhealthy; undefined for a container without a healthcheck. */
  health: string | undefined;
  exitCode: number;
  restartCount: number;
  /** The last healthcheck output, for a failure message. */
  lastProbe: string | undefined;
}

export interface HealthVerdict {
  /** Every expected service has its expected number of containers, each running and healthy. */
  ready: boolean;
  /** Set when waiting longer cannot help: a container exited, restarted or is unhealthy. */
  failure: string | undefined;
  /** One line, e.g. "nats healthy; coordinator starting; writer healthy; reader 2 healthy, 1 starting". */
  summary: string;
}

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);

const SERVICE_LABEL = 'com.docker.compose.service';
const NUMBER_LABEL = 'com.docker.compose.container-number';

/** `docker inspect <ids>` output (a JSON array) → the containers of compose services in it. */
export function parseInspect(json: string, project: string): ContainerState[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error('docker inspect did not print a JSON array');
  const containers: ContainerState[] = [];
  for (const entry of parsed) {
    if (!isDict(entry)) continue;
    const config = isDict(entry['Config']) ? entry['Config'] : {};
    const labels = isDict(config['Labels']) ? config['Labels'] : {};
    const service = labels[SERVICE_LABEL];
    if (typeof service !== 'string') continue;
    const state = isDict(entry['State']) ? entry['State'] : {};
    const health = isDict(state['Health']) ? state['Health'] : undefined;
    const log = health && Array.isArray(health['Log']) ? health['Log'] : [];
    const last: unknown = log[log.length - 1];
    const rawName = String(entry['Name'] ?? '').replace(/^\//, '');
    const number = Number(labels[NUMBER_LABEL] ?? 1);
    containers.push({
      name: rawName.startsWith(`${project}_`) || rawName.startsWith(`${project}-`) ? rawName.slice(project.length + 1) : rawName,
      service,
      number: Number.isFinite(number) ? number : 1,
      status: String(state['Status'] ?? 'unknown'),
      health: health && typeof health['Status'] === 'string' ? health['Status'] : undefined,
      exitCode: Number(state['ExitCode'] ?? 0),
      restartCount: Number(entry['RestartCount'] ?? 0),
      lastProbe: isDict(last) && typeof last['Output'] === 'string' ? last['Output'].trim() : undefined,
    });
  }
  return containers.sort((a, b) => a.service.localeCompare(b.service) || a.number - b.number);
}

/** What one container is at: its health if it is running with a healthcheck, else its status. */
const stateOf = (container: ContainerState) => (container.status === 'running' ? (container.health ?? 'running') : container.status);
const isReady = (container: ContainerState) =>
  container.status === 'running' && (container.health === undefined || container.health === 'healthy');

/**
 * Are the expected services up: `expected` maps each service to its number
 * of containers (1, or the scale asked for). A container that exited,
 * restarts or is unhealthy is a failure at once: the services restart only
 * when they crash, and a failed healthcheck will not pass by waiting.
 */
export function judgeHealth(containers: readonly ContainerState[], expected: Readonly<Record<string, number>>): HealthVerdict {
  const failures: string[] = [];
  for (const container of containers) {
    if (!(container.service in expected)) continue;
    if (container.status === 'exited' || container.status === 'dead') {
      failures.push(`${container.name} ${container.status} with code ${container.exitCode}`);
    } else if (container.status === 'restarting' || container.restartCount > 0) {
      failures.push(`${container.name} restarted ${container.restartCount || 'once or more'} time(s): it crashed`);
    } else if (container.health === 'unhealthy') {
      failures.push(`${container.name} is unhealthy${container.lastProbe ? ` (last probe: ${container.lastProbe.slice(0, 200)})` : ''}`);
    }
  }
  let ready = true;
  const parts: string[] = [];
  for (const [service, count] of Object.entries(expected)) {
    const mine = containers.filter((container) => container.service === service);
    const readyCount = mine.filter(isReady).length;
    if (readyCount !== count || mine.length !== count) ready = false;
    if (mine.length === 0) {
      parts.push(`${service} not created`);
      continue;
    }
    const counts = new Map<string, number>();
    for (const container of mine) counts.set(stateOf(container), (counts.get(stateOf(container)) ?? 0) + 1);
    const states = [...counts].map(([state, n]) => (mine.length === 1 ? state : `${n} ${state}`)).join(', ');
    parts.push(`${service} ${states}${mine.length !== count ? ` (${mine.length} of ${count})` : ''}`);
  }
  return {
    ready: ready && failures.length === 0,
    failure: failures.length > 0 ? failures.join('; ') : undefined,
    summary: parts.join('; '),
  };
}
