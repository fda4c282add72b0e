import type { Cleanup } from '../cleanup.js';
import type { BenchRow } from '../rows.js';
import type { BenchSystem } from '../system.js';
import { boundedLoadCase } from './bounded-load.js';
import { clusterThroughputCase } from './cluster-throughput.js';
import type { CaseContext } from './context.js';
import { distributedOverheadCase } from './distributed-overhead.js';
import { httpThroughputCase } from './http-throughput.js';
import { nodeFloorsCase } from './node-floors.js';
import { parallelOverheadCase } from './parallel-overhead.js';
import { queueRecoveryCase } from './queue-recovery.js';
import { queueThroughputCase } from './queue-throughput.js';
import { scaleCurveCase } from './scale-curve.js';
import { sequentialOverheadCase } from './sequential-overhead.js';
import { tracingOverheadCase } from './tracing-overhead.js';

/** What a case measured; `correctnessFailure` says what it lost or duplicated (the bench then exits 1). */
export interface CaseOutcome {
  rows: BenchRow[];
  correctnessFailure?: string;
}

export interface BenchCase {
  /** What `--only` takes. */
  name: string;
  /** The rows' group (an error row goes there). */
  group: string;
  /** The progress line. */
  title: string;
  run(ctx: CaseContext, system: BenchSystem, cleanup: Cleanup): Promise<CaseOutcome>;
}

const rowsOnly = (rows: BenchRow[]): CaseOutcome => ({ rows });

/** Every case, in the order the bench runs them: a new case is one entry here. */
export const BENCH_CASES: readonly BenchCase[] = [
  {
    name: 'parallel',
    group: 'parallel overhead',
    title: 'parallel overhead',
    run: async (ctx) => rowsOnly(await parallelOverheadCase(ctx)),
  },
  {
    name: 'floors',
    group: 'node floors',
    title: "processes and threads against Node's own floors (bare fork, bare Worker), and memory against Python",
    run: async (ctx, system) => rowsOnly(await nodeFloorsCase(ctx, system)),
  },
  {
    name: 'distributed',
    group: 'distributed overhead',
    title: 'distributed overhead',
    run: async (ctx, system) => rowsOnly(await distributedOverheadCase(ctx, system)),
  },
  {
    name: 'sequential',
    group: 'sequential overhead',
    title: 'sequential overhead',
    run: async (ctx) => rowsOnly(await sequentialOverheadCase(ctx)),
  },
  { name: 'curve', group: 'scale curve', title: 'scale curve', run: async (ctx) => rowsOnly(await scaleCurveCase(ctx)) },
  {
    name: 'queue',
    group: 'queue throughput',
    title: 'queue throughput',
    run: async (ctx) => {
      const queue = await queueThroughputCase(ctx);
      return queue.intact
        ? { rows: queue.rows }
        : { rows: queue.rows, correctnessFailure: 'the queue run lost or duplicated items (see its row): a correctness failure' };
    },
  },
  {
    name: 'cluster',
    group: 'queue throughput',
    title: 'queue throughput on a three-node cluster (R3) against one server (R1)',
    run: async (ctx, _system, cleanup) => {
      const cluster = await clusterThroughputCase(ctx, cleanup);
      return cluster.intact
        ? { rows: cluster.rows }
        : {
            rows: cluster.rows,
            correctnessFailure:
              'a queue run on the cluster or the single server lost or duplicated items (see its row): a correctness failure',
          };
    },
  },
  {
    name: 'recovery',
    group: 'queue recovery',
    title: 'queue recovery after a reader crash',
    run: async (ctx, system) => rowsOnly(await queueRecoveryCase(ctx, system)),
  },
  {
    name: 'http',
    group: 'http requests/s',
    title: 'http requests/s',
    run: async (ctx, _system, cleanup) => rowsOnly(await httpThroughputCase(ctx, cleanup)),
  },
  {
    name: 'tracing',
    group: 'tracing',
    title: 'tracing on against off (POST /simulations)',
    run: async (ctx, system, cleanup) => rowsOnly(await tracingOverheadCase(ctx, system, cleanup)),
  },
  {
    name: 'load',
    group: 'bounded load',
    title: 'bounded load',
    run: async (ctx, _system, cleanup) => rowsOnly(await boundedLoadCase(ctx, cleanup)),
  },
];

export const CASE_NAMES: readonly string[] = BENCH_CASES.map((benchCase) => benchCase.name);
