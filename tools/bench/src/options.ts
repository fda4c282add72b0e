import { MODE_CATALOGUE, type RunMode } from '@concurrency-lab/simulation';
import { parseArgs } from 'node:util';

export type BenchMode = RunMode;
/** Every mode but sequential, the baseline they are measured against. */
export type ConcurrentMode = Exclude<BenchMode, 'sequential'>;
/**
 * The concurrent modes that run on the coordinator's host, from its mode
 * registry: each is measured where it is accepted. Distributed mode has a case
 * of its own (cases/distributed-overhead.ts), over several downloader processes.
 */
export const CONCURRENT_MODES: readonly ConcurrentMode[] = MODE_CATALOGUE.filter((mode) => mode.runsIn !== 'downloaders')
  .map((mode) => mode.name)
  .filter((name): name is ConcurrentMode => name !== 'sequential');

export interface BenchOptions {
  quick: boolean;
  help: boolean;
  /** Where latest.json, the timestamped copy and scale-curve.svg go. */
  outDir: string;
  /** Only these cases (by name, as in cases/registry.ts); empty: every case. */
  only: string[];
}

/** Every count, duration and time bound of one bench run, in one place. */
export interface BenchPlan {
  quick: boolean;
  /** Parallel overhead: task counts, each task this long. */
  parallelCounts: number[];
  parallelTaskMs: number;
  /** Sequential overhead: this many tasks of this duration. */
  sequentialCount: number;
  sequentialTaskMs: number;
  /** Scale curve: task counts, each task this long (count x duration stays within the coordinator's 120 s sum). */
  curveCounts: number[];
  curveTaskMs: number;
  /** Sequential curve points whose sum of durations exceeds this are skipped (they only show the sum again, slowly). */
  sequentialCurveMaxSumMs: number;
  /** Items of the queue run and of the raw JetStream and Python queue anchors. */
  queueItems: number;
  /** Messages of the core NATS publish/subscribe anchor. */
  coreMessages: number;
  /** Outstanding JetStream publish acks at most (the pipelined anchor's window). */
  publishWindow: number;
  /** Bytes per NATS anchor message: about the size of one of the writer's queue items. */
  payloadBytes: number;
  /** autocannon: seconds per route and server, connections for GET /healthz and for POST /simulations. */
  httpSeconds: number;
  healthConnections: number;
  simulationConnections: number;
  /** Bounded load: this many GET /healthz, then this many small POST /simulations, to the coordinator and to bare Express. */
  loadHealthRequests: number;
  loadSimulations: number;
  /** Connections for the GET /healthz of the bounded load (the simulations use simulationConnections: the coordinator runs 4 at once). */
  loadHealthConnections: number;
  /** Each bounded-load run stops short past this (its row then says so): a count-bounded run must be time-bounded too. */
  loadMaxSeconds: number;
  /** The whole bench is stopped (and everything it started) past this. */
  deadlineMs: number;
}

/** The help text; `caseNames` are what --only takes (cases/registry.ts). */
export const usage = (caseNames: readonly string[]) => `Usage: npm run bench [-- --quick] [-- --out DIR] [-- --only NAME[,NAME...]]

Starts a nats-server (JetStream, temp store) and the built services on 127.0.0.1,
measures this project against anchors measured in the same run (python3
multiprocessing, raw nats.js, bare Express), prints one row per case and writes
DIR/latest.json, a timestamped copy and DIR/scale-curve.svg (DIR: bench-results).
  --quick   a short run (under a minute) that proves the harness works
  --only    just these cases: ${caseNames.join(', ')}
`;

export function parseOptions(argv: readonly string[], caseNames: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results' },
      help: { type: 'boolean', short: 'h', default: false },
      only: { type: 'string', default: '' },
    },
    strict: true,
    allowPositionals: false,
  });
  const only = values.only
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = only.filter((name) => !caseNames.includes(name));
  if (unknown.length > 0) throw new Error(`--only: no case named ${unknown.join(', ')}; the cases are ${caseNames.join(', ')}`);
  return { quick: values.quick, help: values.help, outDir: values.out, only };
}

export function planFor(quick: boolean): BenchPlan {
  const common = {
    quick,
    parallelTaskMs: 200,
    sequentialCount: 50,
    sequentialTaskMs: 20,
    curveTaskMs: 100,
    publishWindow: 256,
    payloadBytes: 200,
    healthConnections: 10,
    simulationConnections: 4,
    loadHealthConnections: 16,
  };
  return quick
    ? {
        ...common,
        parallelCounts: [2, 10, 50],
        curveCounts: [1, 10],
        sequentialCurveMaxSumMs: 1_000,
        queueItems: 2_000,
        coreMessages: 50_000,
        httpSeconds: 2,
        loadHealthRequests: 2_000,
        loadSimulations: 100,
        loadMaxSeconds: 20,
        deadlineMs: 170_000,
      }
    : {
        ...common,
        parallelCounts: [2, 10, 50, 200],
        curveCounts: [1, 10, 100, 1000],
        sequentialCurveMaxSumMs: 10_000,
        queueItems: 10_000,
        coreMessages: 200_000,
        httpSeconds: 5,
        loadHealthRequests: 10_000,
        loadSimulations: 1_000,
        loadMaxSeconds: 60,
        deadlineMs: 900_000,
      };
}
