import type { CompareReport, CoordinatorClient, RunReport, SimulationRequest } from '@concurrency-lab/api-client';

/*
 * POST /simulations through the typed client, for a run that must finish
 * within its wait (201): the report, narrowed to the kind the request asked for.
 */

async function finished(client: CoordinatorClient, request?: SimulationRequest) {
  const answer = await client.simulate(request);
  if (answer.status !== 201) throw new Error(`expected 201, got ${answer.status}: ${JSON.stringify(answer.run)}`);
  return answer.report;
}

/** One mode's run, finished. */
export async function finishedRun(client: CoordinatorClient, request: SimulationRequest): Promise<RunReport> {
  const report = await finished(client, request);
  if (report.mode === 'compare')
    throw new Error(`expected one mode's report, got a comparison of ${report.table.map((row) => row.mode).join(', ')}`);
  return report;
}

/** A comparison, finished; no request is the lesson's. */
export async function finishedComparison(client: CoordinatorClient, request?: SimulationRequest): Promise<CompareReport> {
  const report = await finished(client, request);
  if (report.mode !== 'compare') throw new Error(`expected a comparison, got a ${report.mode} run`);
  return report;
}
