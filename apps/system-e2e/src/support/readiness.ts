import type { ServiceProcess } from '@concurrency-lab/testing';
import { setTimeout as sleep } from 'node:timers/promises';

/** One GET /readyz: its status and, when not ready, the checks it named; `unreachable` when nothing answered. */
export interface ReadyzAnswer {
  status: number | 'unreachable';
  failing: string[];
  /** Whether the service had logged "shutting down" before this probe was sent. */
  afterShutdownLine: boolean;
}

/**
 * GET /readyz as a probe sees it. The body is `any` on purpose: the specs
 * assert its shape field by field.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readyz(url: string): Promise<{ status: number; contentType: string; body: any }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.json() };
}

/**
 * Probes a service's /readyz back to back (a few ms apart, so as not to
 * starve the machine) until stopped, as an orchestrator's probe would, only
 * more often: what a service answers while it shuts down.
 */
export function watchReadiness(service: ServiceProcess, url: string): { firstAnswer: Promise<void>; stop(): Promise<ReadyzAnswer[]> } {
  const answers: ReadyzAnswer[] = [];
  let stopped = false;
  let markFirst: () => void = () => undefined;
  const firstAnswer = new Promise<void>((resolve) => (markFirst = resolve));
  const probing = (async () => {
    while (!stopped) {
      const afterShutdownLine = service.lines.some((line) => line.msg === 'shutting down');
      try {
        const { status, body } = await readyz(url);
        answers.push({ status, failing: status === 200 ? [] : (body.failing ?? []), afterShutdownLine });
      } catch {
        answers.push({ status: 'unreachable', failing: [], afterShutdownLine });
      }
      markFirst();
      await sleep(5);
    }
  })();
  return {
    firstAnswer,
    async stop() {
      stopped = true;
      await probing;
      return answers;
    },
  };
}
